//! Rules across the options and the item: which items can be singletons, which options go
//! together.

use proc_macro2::{TokenStream, TokenTree};
use syn::{Data, DeriveInput, Generics, Ident, Path, Type, Visibility};

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
    item: &'a DeriveInput,
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
    item: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<(&'a Ident, &'a Visibility, &'a Generics)> {
    match &item.data {
        Data::Struct(_) | Data::Enum(_) => Some((&item.ident, &item.vis, &item.generics)),
        Data::Union(union) => {
            misplaced(&union.union_token, "a union", errors);
            None
        }
    }
}

/// Reports an item that is not a struct, enum or union: at its keyword when it is a
/// function, trait or impl block, at the whole item otherwise. `Err(error)` when the item
/// is none of those but does not parse as a type either (a struct with a syntax error).
pub(super) fn not_a_type(
    item: &TokenStream,
    error: syn::Error,
    errors: &mut Errors,
) -> syn::Result<()> {
    // The first word after the attributes, the visibility and the qualifiers.
    let keyword = item.clone().into_iter().find_map(|token| match token {
        TokenTree::Ident(ident)
            if !matches!(
                ident.to_string().as_str(),
                "pub" | "const" | "async" | "unsafe" | "extern" | "default" | "auto"
            ) =>
        {
            Some(ident)
        }
        _ => None,
    });
    let what = match keyword.as_ref().map(ToString::to_string).as_deref() {
        Some("fn") => "a function",
        Some("trait") => "a trait",
        Some("impl") => "an impl block",
        Some("struct" | "enum" | "union") | None => return Err(error),
        Some(_) => {
            misplaced(item, "this item", errors);
            return Ok(());
        }
    };
    misplaced(&keyword, what, errors);
    Ok(())
}

fn misplaced(tokens: &dyn quote::ToTokens, what: &str, errors: &mut Errors) {
    errors.spanned(
        tokens,
        format!(
            "`#[singleton]` cannot be put on {what}; it goes on a struct or enum, whose one \
             instance it then keeps"
        ),
    );
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
                .map(|(_, ty)| crate::owned::ty(ty))
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
