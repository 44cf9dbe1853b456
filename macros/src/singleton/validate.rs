//! Rules across the options and the item: which items can be singletons, which options go
//! together.

use syn::{Generics, Ident, Item, Path, Type, Visibility};

use crate::expr::Expr;

use super::parse::{OptionValue, SingletonOption};
use crate::errors::Errors;
use crate::krate::CratePath;

/// How the instance comes to exist. A constructor is a path to a function or a closure
/// without captures: anything that coerces to a `fn` pointer.
pub(super) enum Init<'a> {
    Default,
    Fn(&'a Expr),
    TryFn {
        path: &'a Expr,
        /// `error = E`, or the `E` a closure's `-> Result<T, E>` spells out.
        error: Option<Box<Type>>,
    },
    Manual,
}

/// A validated `#[singleton]` declaration.
pub(super) struct Singleton<'a> {
    pub(super) ident: &'a Ident,
    pub(super) vis: &'a Visibility,
    pub(super) generics: &'a Generics,
    pub(super) init: Init<'a>,
    pub(super) krate: CratePath,
}

/// The model, or `None` when the item cannot carry a singleton at all. Mistakes go to
/// `errors`; a model is still returned for a struct or enum so a fallback can be emitted.
pub(super) fn validate<'a>(
    item: &'a Item,
    options: &'a [SingletonOption],
    errors: &mut Errors,
) -> Option<Singleton<'a>> {
    let (ident, vis, generics) = validate_item(item, errors)?;
    validate_generics(generics, errors);
    let (init, krate) = validate_options(options, errors);
    Some(Singleton {
        ident,
        vis,
        generics,
        init,
        krate,
    })
}

fn validate_item<'a>(
    item: &'a Item,
    errors: &mut Errors,
) -> Option<(&'a Ident, &'a Visibility, &'a Generics)> {
    let (what, tokens): (&str, &dyn quote::ToTokens) = match item {
        Item::Struct(s) => return Some((&s.ident, &s.vis, &s.generics)),
        Item::Enum(e) => return Some((&e.ident, &e.vis, &e.generics)),
        Item::Fn(f) => ("a function", &f.sig.fn_token),
        Item::Trait(t) => ("a trait", &t.trait_token),
        Item::Union(u) => ("a union", &u.union_token),
        Item::Impl(i) => ("an impl block", &i.impl_token),
        other => ("this item", other),
    };
    errors.spanned(
        tokens,
        format!(
            "`#[singleton]` cannot be put on {what}; it goes on a struct or enum, whose one \
             instance it then keeps"
        ),
    );
    None
}

fn validate_generics(generics: &Generics, errors: &mut Errors) {
    if !generics.params.is_empty() {
        errors.spanned(
            generics,
            "a singleton cannot be generic: its instance lives in one `static`, and a static \
             cannot be generic; remove the parameters, or put `#[singleton]` on a non-generic \
             wrapper such as `struct Cache(Inner<String>);`",
        );
    }
}

fn validate_options<'a>(
    options: &'a [SingletonOption],
    errors: &mut Errors,
) -> (Init<'a>, CratePath) {
    let mut init: Option<&'a SingletonOption> = None;
    let mut error: Option<(&'a SingletonOption, &'a Type)> = None;
    let mut krate: Option<(&'a SingletonOption, &'a Path)> = None;
    for option in options {
        match &option.value {
            OptionValue::Init(_) | OptionValue::TryInit(_) | OptionValue::Manual => match init {
                None => init = Some(option),
                Some(first) if first.key == option.key => {
                    errors.duplicate(&first.key, &option.key, &format!("`{}`", option.key));
                }
                Some(first) => errors.spanned(
                    &option.key,
                    format!(
                        "`{}` cannot be combined with `{}`: a singleton is created in one way; \
                         keep `init = path` for an infallible constructor, `try_init = path` for \
                         one returning `Result`, or `manual` to call `init(value)` yourself",
                        option.key, first.key
                    ),
                ),
            },
            OptionValue::Error(ty) => match error {
                None => error = Some((option, ty)),
                Some((first, _)) => errors.duplicate(&first.key, &option.key, "`error`"),
            },
            OptionValue::Crate(path) => match krate {
                None => krate = Some((option, path)),
                Some((first, _)) => errors.duplicate(&first.key, &option.key, "`crate`"),
            },
        }
    }
    let init = match init.map(|option| &option.value) {
        None => Init::Default,
        Some(OptionValue::Init(path)) => Init::Fn(path),
        Some(OptionValue::TryInit(path)) => Init::TryFn {
            path,
            error: error
                .map(|(_, ty)| ty.clone())
                .or_else(|| path.closure_error_type())
                .map(Box::new),
        },
        Some(_) => Init::Manual,
    };
    if let (Some((option, _)), false) = (error, matches!(init, Init::TryFn { .. })) {
        errors.spanned(
            &option.key,
            "`error` names the error type of `try_init`; add `try_init = path` or remove `error`",
        );
    }
    let krate = CratePath::new(krate.map(|(_, path)| path));
    (init, krate)
}
