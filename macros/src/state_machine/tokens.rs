//! Token helpers the expansion steps share.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Machine;

/// `tokens` with every span set to `span`, so that a signature built from the user's types
/// is reported at the one path the user wrote.
pub(super) fn respanned(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respanned(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

pub(super) fn context_type(machine: &Machine<'_>) -> TokenStream {
    match machine.context {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    }
}
