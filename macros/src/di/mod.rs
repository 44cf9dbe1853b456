//! Dependency injection: `#[derive(Inject)]` and the compile-time `#[derive(Container)]`.

pub(crate) mod container;
pub(crate) mod inject_expand;
mod inject_parse;

use proc_macro2::TokenStream;

use crate::enum_input::try_expand_derive;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let Some(inject) = inject_parse::parse_inject(input, errors) else {
            return TokenStream::new();
        };
        inject_expand::expand_inject(&inject)
    })
}
