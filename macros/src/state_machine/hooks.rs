//! Entry and exit hooks: which a transition runs (exits from the current state outwards,
//! entries inwards to the state entered, around the innermost superstate containing both
//! ends: UML's external transitions), and the call of each, with the state's data when the
//! hook reads it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::model::{Machine, Node, Row, Source};
use super::tokens::{call_user, context_arg, context_param};

/// The nodes a transition from `state` by `row` leaves (innermost first) and enters
/// (outermost first). Empty for an internal transition.
pub(super) fn exits_and_entries(
    machine: &Machine<'_>,
    state: usize,
    row: &Row<'_>,
) -> (Vec<Node>, Vec<Node>) {
    let (Some(target), Some(entered)) = (row.target, row.enters) else {
        return (Vec::new(), Vec::new());
    };
    let source = matched_source(machine, state, row);
    let source_ancestors = strict_ancestors(machine, source);
    let target_ancestors = strict_ancestors(machine, target);
    let scope = source_ancestors
        .iter()
        .copied()
        .find(|s| target_ancestors.contains(s));

    let mut exits = vec![Node::State(state)];
    exits.extend(
        machine
            .ancestors(state)
            .into_iter()
            .take_while(|&s| Some(s) != scope)
            .map(Node::Super),
    );
    let mut entries: Vec<Node> = machine
        .ancestors(entered)
        .into_iter()
        .take_while(|&s| Some(s) != scope)
        .map(Node::Super)
        .collect();
    entries.reverse();
    entries.push(Node::State(entered));
    (exits, entries)
}

/// The node of the row's source that `state` matched: the state, the superstate around it
/// that the row names, or the state itself for `_`.
fn matched_source(machine: &Machine<'_>, state: usize, row: &Row<'_>) -> Node {
    match &row.source {
        Source::Any => Node::State(state),
        Source::Nodes(nodes) => {
            if nodes.contains(&Node::State(state)) {
                return Node::State(state);
            }
            machine
                .ancestors(state)
                .into_iter()
                .map(Node::Super)
                .find(|n| nodes.contains(n))
                .unwrap_or(Node::State(state))
        }
    }
}

fn strict_ancestors(machine: &Machine<'_>, node: Node) -> Vec<usize> {
    match node {
        Node::State(i) => machine.ancestors(i),
        Node::Super(i) => {
            let mut chain = Vec::new();
            let mut parent = machine.superstates[i].parent;
            while let Some(p) = parent {
                if chain.contains(&p) {
                    break;
                }
                chain.push(p);
                parent = machine.superstates[p].parent;
            }
            chain
        }
    }
}

/// The call of a state's or superstate's entry (or exit) hook, if it has one. A state's hook
/// written `&hook` reads the state's data: from `__data` when `moved` (the data has been
/// moved out of `self` for the action), from `self` otherwise.
pub(super) fn hook(
    machine: &Machine<'_>,
    node: Node,
    entry: bool,
    moved: bool,
) -> Option<TokenStream> {
    let (path, reads, awaited) = match node {
        Node::State(i) => {
            let hook = if entry {
                machine.states[i].entry
            } else {
                machine.states[i].exit
            }?;
            (&hook.path, hook.reads.is_some(), hook.awaited)
        }
        Node::Super(i) => {
            let path = if entry {
                machine.superstates[i].entry
            } else {
                machine.superstates[i].exit
            }?;
            (path, false, false)
        }
    };
    let param = context_param(machine, false);
    let arg = context_arg(machine, quote!(context));
    let data = match node {
        Node::State(i) if reads => machine.states[i].data,
        _ => None,
    };
    let Some(field) = data else {
        let call = call_user(path, quote!(fn(#(#param)*)), &quote!(#(#arg)*), awaited);
        return Some(quote!(#call;));
    };
    let ty = &field.ty;
    let call = call_user(
        path,
        quote!(fn(&#ty #(, #param)*)),
        &quote!(__hook_data #(, #arg)*),
        awaited,
    );
    let call = quote!(#call;);
    if moved {
        return Some(quote!({
            let __hook_data = &__data;
            #call
        }));
    }
    let Node::State(i) = node else {
        return None;
    };
    let state = &machine.states[i];
    let pattern = data_pattern(state.ident, state.named, field);
    Some(quote! {
        if let #pattern = &*self {
            let __hook_data = __data;
            #call
        }
    })
}

/// `Self::State(__data)` or `Self::State { field: __data }`, by reference or by value as the
/// scrutinee is.
pub(super) fn data_pattern(variant: &Ident, named: bool, field: &syn::Field) -> TokenStream {
    let data = format_ident!("__data");
    if named {
        let name = &field.ident;
        quote!(Self::#variant { #name: #data })
    } else {
        quote!(Self::#variant(#data))
    }
}
