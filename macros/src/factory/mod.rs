//! `#[derive(Factory)]`: parse the enum and its attributes, validate the names and options
//! together, then expand the kind enum, the lookup tree and the impls.

mod bounds;
mod case;
mod conversions;
mod create;
mod display;
mod expand;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
mod kind;
mod lookup;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;

/// The whole derive: expands what it can and reports every mistake beside it.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let parsed = parse::parse_factory(input, errors);
        let model = if parsed.not_an_enum {
            // What is wrong with the options is for later: the one error is the item.
            validate::validate(&parsed, &mut crate::errors::Errors::default())
        } else {
            validate::validate(&parsed, errors)
        };
        expand::expand_factory(&model)
    })
}
