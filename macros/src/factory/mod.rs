//! `#[derive(Factory)]`: parse the enum and its attributes, validate the names and options
//! together, then expand the kind enum, the lookup tree and the impls.

mod bounds;
mod case;
mod expand;
mod lookup;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole derive: expands what it can and reports every mistake beside it.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

/// `Err` only when the input is not an item; every other mistake is reported beside an
/// expansion of what could be understood, so uses of the generated items do not cascade.
pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: syn::DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    let mut tokens = TokenStream::new();
    if let Some(parsed) = parse::parse_factory(&input, &mut errors) {
        let model = validate::validate(&parsed, &mut errors);
        tokens = expand::expand_factory(&model);
    }
    tokens.extend(errors.into_compile_errors());
    Ok(tokens)
}
