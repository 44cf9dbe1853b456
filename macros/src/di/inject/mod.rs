//! `#[derive(Inject)]`: parse the struct and how each field is obtained, expand the `Inject`
//! and `Assemble` impls and the constructor.

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let inject = parse::parse_inject(input, errors);
        expand::expand_inject(&inject)
    })
}
