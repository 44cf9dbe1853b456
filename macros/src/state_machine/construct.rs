//! The state values the generated code builds: a state with its data (given, or from
//! `Default`), the initial state, and what stands in `self` while an action owns the data.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::Machine;

/// A value of `state`, its data `data` or `Default`.
pub(super) fn construct(
    machine: &Machine<'_>,
    state: usize,
    data: Option<TokenStream>,
) -> TokenStream {
    let info = &machine.states[state];
    let variant = info.ident;
    let Some(field) = info.data else {
        return quote!(Self::#variant);
    };
    let data = data.unwrap_or_else(|| {
        // Spanned at the field so that data without `Default` is reported there.
        let ty = &field.ty;
        let span = ty.span();
        let private = machine.krate.private(span);
        quote_spanned!(span=> <#ty as #private::StateData>::state_default())
    });
    if info.named {
        let name = &field.ident;
        quote!(Self::#variant { #name: #data })
    } else {
        quote!(Self::#variant(#data))
    }
}

/// The initial state: its data as the table gives it (`initial = State(data)`), or from
/// `Default`.
pub(super) fn construct_initial(machine: &Machine<'_>) -> TokenStream {
    let state = &machine.states[machine.initial];
    let data = match (machine.initial_data, state.data) {
        (Some(data), _) => Some(quote!(#data)),
        (None, Some(field)) => {
            let ty = &field.ty;
            let span = ty.span();
            let private = machine.krate.private(span);
            Some(quote_spanned!(span=> <#ty as #private::InitialData>::initial_default()))
        }
        (None, None) => None,
    };
    construct(machine, machine.initial, data)
}

/// What `self` holds while a state's data is moved into an action: the first state without
/// data, or else the initial state.
pub(super) fn placeholder(machine: &Machine<'_>) -> TokenStream {
    match machine.states.iter().position(|s| s.data.is_none()) {
        Some(index) => construct(machine, index, None),
        None => quote!(Self::initial()),
    }
}
