//! Types that may appear once across a declaration: a message with one handler on a bus, a
//! service with one provider in a container.

use syn::{Ident, Type};

use crate::errors::Errors;
use crate::type_key::type_key;

/// The types seen so far, each with the field it was given on.
pub(crate) struct Unique<'a> {
    seen: Vec<(String, &'a Type, &'a Ident)>,
    /// How a type relates to its field in messages: "registered on", "provided by".
    relation: &'static str,
    /// The rule, with how to keep it: "a container provides a service once".
    rule: &'static str,
}

impl<'a> Unique<'a> {
    pub(crate) fn new(relation: &'static str, rule: &'static str) -> Self {
        Unique {
            seen: Vec::new(),
            relation,
            rule,
        }
    }

    /// Records `ty` on `field`; `false`, with an error at both places, when it was seen
    /// already.
    pub(crate) fn insert(&mut self, ty: &'a Type, field: &'a Ident, errors: &mut Errors) -> bool {
        let key = type_key(ty);
        if let Some((_, first, first_field)) = self.seen.iter().find(|(k, _, _)| *k == key) {
            errors.spanned(
                ty,
                format!(
                    "`{key}` is {} both `{first_field}` and `{field}`; {}",
                    self.relation, self.rule
                ),
            );
            errors.spanned(
                first,
                format!("`{key}` is first {} `{first_field}` here", self.relation),
            );
            return false;
        }
        self.seen.push((key, ty, field));
        true
    }
}
