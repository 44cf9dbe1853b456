//! `#[derive(Container)]`: parse the provider fields, check each service is provided once,
//! expand the `Provides` impls and the graph check.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let Some(mut container) = parse::parse_container(input, errors) else {
            return expand::expand_fallback(input);
        };
        validate::validate(&mut container, errors);
        expand::expand_container(&container)
    })
}
