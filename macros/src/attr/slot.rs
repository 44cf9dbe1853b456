//! Where a read option is kept, in the style of `serde_derive`'s `Attr`: a second value for an
//! option that takes one is an error at the repetition, with a note at the first.

use syn::Ident;

use crate::errors::Errors;

/// An option's value with the key it was given under, to point at both.
pub(crate) struct Given<T> {
    pub(crate) key: Ident,
    pub(crate) value: T,
}

/// An option given at most once.
pub(crate) struct Attr<T>(Option<Given<T>>);

impl<T> Default for Attr<T> {
    fn default() -> Self {
        Attr(None)
    }
}

impl<T> Attr<T> {
    /// Keeps `value` unless the option was given already, which is reported.
    pub(crate) fn set(&mut self, key: &Ident, value: T, errors: &mut Errors) {
        match &self.0 {
            Some(first) => errors.duplicate(&first.key, key, &format!("`{key}`")),
            None => {
                self.0 = Some(Given {
                    key: key.clone(),
                    value,
                });
            }
        }
    }

    pub(crate) fn get(self) -> Option<T> {
        self.0.map(|given| given.value)
    }

    pub(crate) fn given(self) -> Option<Given<T>> {
        self.0
    }

    pub(crate) fn is_set(&self) -> bool {
        self.0.is_some()
    }
}

/// A flag given at most once.
#[derive(Default)]
pub(crate) struct BoolAttr(Attr<()>);

impl BoolAttr {
    pub(crate) fn set_true(&mut self, key: &Ident, errors: &mut Errors) {
        self.0.set(key, (), errors);
    }

    pub(crate) fn get(&self) -> bool {
        self.0.is_set()
    }

    /// The key it was given under.
    pub(crate) fn key(self) -> Option<Ident> {
        self.0.given().map(|given| given.key)
    }
}
