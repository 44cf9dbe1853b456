//! `#[derive(Bus)]`: parse the fields, check one handler per message, expand the routes.

mod events;
mod expand;
mod fallback;
mod local;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let bus = parse::parse_bus(input, errors);
        if bus.not_a_bus {
            return fallback::expand_fallback(&bus);
        }
        validate::validate(&bus, errors);
        expand::expand_bus(&bus)
    })
}
