//! `#[derive(Command)]`, `#[derive(Query)]`, `#[derive(Event)]`: parse the options, expand
//! the message traits.

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;
use crate::symbol::{COMMAND, EVENT, QUERY};

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Command,
    Query,
    Event,
}

impl Kind {
    fn attr(self) -> &'static str {
        match self {
            Kind::Command => COMMAND,
            Kind::Query => QUERY,
            Kind::Event => EVENT,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Command => "Command",
            Kind::Query => "Query",
            Kind::Event => "Event",
        }
    }
}

pub(crate) fn expand(input: TokenStream, kind: Kind) -> TokenStream {
    try_expand(input, kind).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream, kind: Kind) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let options = parse::parse_options(input, kind, errors);
        expand::expand_message(input, kind, &options)
    })
}
