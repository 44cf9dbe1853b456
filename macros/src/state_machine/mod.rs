//! `#[derive(StateMachine)]`: parse the table, resolve its names, analyse the graph, then
//! expand the `match` that runs it and the diagrams that draw it.

mod analyze;
mod diagram;
mod expand;
mod hooks;
mod model;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole derive: expands what it can and reports every mistake beside it.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    try_expand(input).unwrap_or_else(syn::Error::into_compile_error)
}

/// `Err` only when the input is not an item. A machine with mistakes in its table is still
/// expanded (so uses of `fire` do not add errors of their own) beside the errors.
pub(crate) fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: syn::DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    let mut tokens = TokenStream::new();
    if let Some(parsed) = parse::parse_machine(&input, &mut errors) {
        if let Some(machine) = validate::validate(&parsed, &mut errors) {
            // Graph checks on a table with unknown names would report its gaps twice.
            if errors.is_empty() {
                analyze::analyze(&machine, &mut errors);
            }
            tokens = expand::expand_machine(&machine);
        }
    }
    tokens.extend(errors.into_compile_errors());
    Ok(tokens)
}
