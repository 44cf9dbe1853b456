//! `#[derive(Container)]`: a container checked at compile time.

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::enum_input::try_expand_derive;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let Some(container) = parse::parse_container(input, errors) else {
            return TokenStream::new();
        };
        expand::expand_container(&container, errors)
    })
}
