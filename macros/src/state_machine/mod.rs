//! `#[derive(StateMachine)]`: parse the table, resolve its names, analyse the graph, then
//! expand the `match` that runs it and the diagrams that draw it.

mod analyze;
mod callbacks;
mod construct;
mod diagram;
mod event_type;
mod expand;
mod fallback;
mod fire;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
mod guard;
mod hooks;
mod model;
mod next;
mod parse;
mod row;
mod table;
mod tables;
mod tokens;
mod trait_impl;
mod validate;

use proc_macro2::TokenStream;

use crate::derive_input::try_expand_derive;

/// The whole derive: expands what it can and reports every mistake beside it.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

/// A machine with mistakes in its table is still expanded (so uses of `fire` do not add
/// errors of their own) beside the errors.
pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let parsed = parse::parse_machine(input, errors);
        if parsed.not_an_enum {
            return fallback::expand_fallback(&parsed);
        }
        let Some(machine) = validate::validate(&parsed, errors) else {
            return fallback::expand_fallback(&parsed);
        };
        // Graph checks on a table with unknown names would report its gaps twice.
        if errors.is_empty() {
            analyze::analyze(&machine, errors);
        }
        expand::expand_machine(&machine)
    })
}
