//! What firing one row does: exit hooks, the action (with the source's data moved into it
//! when it takes it), the new state, entry hooks, and the `Fired` it returns.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

use super::construct::{construct, placeholder};
use super::hooks::{data_pattern, exits_and_entries, hook};
use super::model::{Machine, Node, Row};
use super::tokens::{call_user, context_arg, context_param};

/// `return Ok(Fired::new(..))` for row `index`, fired in the state at index `from`.
fn expand_fired(private: &TokenStream, from: usize, index: usize) -> TokenStream {
    let (from, index) = (index_literal(from), index_literal(index));
    quote! {
        return ::core::result::Result::Ok(#private::Fired::new(#from, #index));
    }
}

/// An index into one of the machine's tables as a `u16` literal (validation has checked that
/// every table fits).
pub(super) fn index_literal(index: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_suffixed(u16::try_from(index).unwrap_or(u16::MAX))
}

/// A row from `state` that only moves to a state without data (no action, no hook on the
/// way, not internal): `break 'fired (next, from, row)`, all constants, as an expression.
pub(super) fn plain_row(machine: &Machine<'_>, state: usize, index: usize) -> Option<TokenStream> {
    let row = &machine.rows[index];
    let entered = row.enters?;
    if row.action.is_some()
        || machine.states[entered].data.is_some()
        || machine.history_target(row).is_some()
    {
        return None;
    }
    let (exits, entries) = exits_and_entries(machine, state, row);
    if exits.iter().any(|&node| machine.remembers(node)) {
        return None;
    }
    if exits
        .into_iter()
        .any(|node| hook(machine, node, false, false).is_some())
        || entries
            .into_iter()
            .any(|node| hook(machine, node, true, false).is_some())
    {
        return None;
    }
    let next = construct(machine, entered, None);
    let (from, index) = (index_literal(state), index_literal(index));
    Some(quote!(break 'fired (#next, #from, #index)))
}

/// What firing row `index` from `state` does, ending in `return Ok(Fired { .. })`.
pub(super) fn expand_fire_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    index: usize,
) -> TokenStream {
    let row = &machine.rows[index];
    if let Some((superstate, history)) = machine.history_target(row) {
        return expand_history_row(machine, private, state, index, superstate, history.deep);
    }
    fire_row(machine, private, state, row, index)
}

/// A row into a superstate with history: the state it is entered at is the one remembered
/// (or, for shallow history, the initial state of the node around it directly inside the
/// superstate), its initial state when nothing is. Each possible state is the row fired
/// into it, named in `Fired` by its own row.
fn expand_history_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    index: usize,
    superstate: usize,
    deep: bool,
) -> TokenStream {
    let entries = machine.history_entries(superstate, deep);
    let mut row = machine.rows[index].clone();
    if entries
        .iter()
        .any(|&(entered, _)| machine.states[entered].data.is_some())
    {
        // An action cannot build the data of a state known only when the row fires: that is
        // a compile error of its own; the row is expanded without it.
        row.action = None;
    }
    let row = &row;
    let history_rows = machine.history_rows();
    let arms = entries
        .into_iter()
        .filter(|(entered, _)| Some(*entered) != row.enters)
        .map(|(entered, remembered)| {
            let fired_row = machine.rows.len()
                + history_rows
                    .iter()
                    .position(|&(r, e)| r == index && e == entered)
                    .unwrap_or(0);
            let mut into = row.clone();
            into.enters = Some(entered);
            let body = fire_row(machine, private, state, &into, fired_row);
            let remembered = remembered.into_iter().map(index_literal);
            quote!(::core::option::Option::Some(#(#remembered)|*) => { #body })
        });
    let initial = fire_row(machine, private, state, row, index);
    let superstate = index_literal(superstate);
    quote! {
        match #private::KeepsHistory::<Self>::history(&mut *context).recall(#superstate) {
            #(#arms)*
            _ => { #initial }
        }
    }
}

/// What firing `row` from `state` does, ending in `return Ok(Fired { .. })` with `fired_row`.
fn fire_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    row: &Row<'_>,
    fired_row: usize,
) -> TokenStream {
    let Some(entered) = row.enters else {
        return expand_internal_row(machine, private, state, row, fired_row);
    };
    let (exits, entries) = exits_and_entries(machine, state, row);
    let moves = !row.fallible && machine.moved_source(row).is_some() && row.action.is_some();
    // Leaving a superstate with history is remembered first, before any hook runs.
    let remembered: Vec<TokenStream> = exits
        .iter()
        .filter(|&&node| machine.remembers(node))
        .map(|node| {
            let Node::Super(superstate) = *node else {
                return TokenStream::new();
            };
            let (superstate, state) = (index_literal(superstate), index_literal(state));
            quote!(#private::KeepsHistory::<Self>::history(&mut *context).remember(#superstate, #state);)
        })
        .collect();
    // Where the source's data is while its exit hook runs: moved out into `__data` when the
    // action takes it, still in `self` otherwise.
    let exits: Vec<TokenStream> = remembered
        .into_iter()
        .chain(
            exits
                .into_iter()
                .filter_map(|node| hook(machine, node, false, moves)),
        )
        .collect();
    let entries: Vec<TokenStream> = entries
        .into_iter()
        .filter_map(|node| hook(machine, node, true, false))
        .collect();
    let fired = expand_fired(private, state, fired_row);
    let pre_actions = pre_actions(machine, row);
    if row.fallible {
        return expand_fallible_row(machine, private, state, row, fired_row, &exits, &entries);
    }
    if let (Some(moved), Some(action)) = (machine.moved_source(row), row.action) {
        // The source's data moves into the action, which builds the target.
        let source = &machine.states[moved];
        let Some(field) = source.data else {
            return TokenStream::new();
        };
        let pattern = data_pattern(source.ident, source.named, field);
        let ty = &field.ty;
        let placeholder = placeholder(machine);
        // `then &action` lends the data instead of moving it.
        let (ty, data) = if row.lends {
            (quote!(&#ty), quote!(&__data))
        } else {
            (quote!(#ty), quote!(__data))
        };
        let next = next_state(machine, entered, row, Some(action), Some((ty, data)));
        return quote! {
            match ::core::mem::replace(self, #placeholder) {
                #pattern => {
                    #(#exits)*
                    #pre_actions
                    *self = #next;
                    #(#entries)*
                    #fired
                }
                __other => *self = __other,
            }
        };
    }
    let next = next_state(machine, entered, row, row.action, None);
    quote! {
        #(#exits)*
        #pre_actions
        *self = #next;
        #(#entries)*
        #fired
    }
}

/// The value `*self` takes: the entered state, with its data built by the action when the
/// state has data and the row an action (from `Default` without one), the action called
/// first otherwise. `data` is the source's data as the action's first parameter (its type
/// and the argument), when the action receives it.
fn next_state(
    machine: &Machine<'_>,
    entered: usize,
    row: &Row<'_>,
    action: Option<&Path>,
    data: Option<(TokenStream, TokenStream)>,
) -> TokenStream {
    let Some(action) = action else {
        return construct(machine, entered, None);
    };
    let (params, args) = action_parts(machine, row, data);
    let awaited = row.action_awaits();
    match machine.states[entered].data {
        Some(target_field) => {
            let target_ty = &target_field.ty;
            let signature = quote!(fn(#(#params),*) -> #target_ty);
            let built = call_user(action, signature, &quote!(#(#args),*), awaited);
            construct(machine, entered, Some(built))
        }
        None => {
            let signature = quote!(fn(#(#params),*));
            let call = call_user(action, signature, &quote!(#(#args),*), awaited);
            let target = construct(machine, entered, None);
            quote!({ #call; #target })
        }
    }
}

/// The call of a row's last action, checked against `fn(params) output`, its error (for
/// `then action?`) returned from `fire`.
fn checked_action(
    machine: &Machine<'_>,
    private: &TokenStream,
    row: &Row<'_>,
    action: &Path,
    data: Option<(TokenStream, TokenStream)>,
    output: Option<&TokenStream>,
) -> TokenStream {
    let (params, args) = action_parts(machine, row, data);
    action_value(
        private,
        row,
        call_user(
            action,
            quote!(fn(#(#params),*) #output),
            &quote!(#(#args),*),
            row.action_awaits(),
        ),
    )
}

/// The last action's parameter types and arguments: the source's data if it is given
/// (`data`: its type and value), what the row gives from the event, the context.
fn action_parts(
    machine: &Machine<'_>,
    row: &Row<'_>,
    data: Option<(TokenStream, TokenStream)>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let (event_params, event_args) = row.action_event_part(machine.event);
    let (data_param, data_arg) = data.unzip();
    let params = data_param
        .into_iter()
        .chain(event_params)
        .chain(context_param(machine, false))
        .collect();
    let args = data_arg
        .into_iter()
        .chain(event_args)
        .chain(context_arg(machine, quote!(context)))
        .collect();
    (params, args)
}

/// What a row's action returns, after `->` in the type it is checked against: `value`, or
/// `Result<value, E>` for `then action?` (`None` for `()`).
fn action_output(
    machine: &Machine<'_>,
    row: &Row<'_>,
    value: Option<&TokenStream>,
) -> Option<TokenStream> {
    if row.fallible {
        let error = machine.error_type();
        let value = value.map_or_else(|| quote!(()), Clone::clone);
        return Some(quote!(-> ::core::result::Result<#value, #error>));
    }
    value.map(|value| quote!(-> #value))
}

/// The value of an action's `call`: for `then action?`, unwrapped, its error returned from
/// `fire`; the call itself otherwise.
fn action_value(private: &TokenStream, row: &Row<'_>, call: TokenStream) -> TokenStream {
    if !row.fallible {
        return call;
    }
    quote! {
        match #call {
            ::core::result::Result::Ok(__value) => __value,
            ::core::result::Result::Err(__error) => {
                return ::core::result::Result::Err(#private::FireError::Action(__error));
            }
        }
    }
}

/// A row whose action can fail: the action runs first, borrowing the source's data, so that
/// its error returns from `fire` with nothing changed and no hook run; then the exit hooks,
/// the new state built from what the action returned, the entry hooks.
fn expand_fallible_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    row: &Row<'_>,
    fired_row: usize,
    exits: &[TokenStream],
    entries: &[TokenStream],
) -> TokenStream {
    let (Some(action), Some(entered)) = (row.action, row.enters) else {
        return TokenStream::new();
    };
    let target = machine.states[entered].data;
    let value = target.map(|field| {
        let ty = &field.ty;
        quote!(#ty)
    });
    let output = action_output(machine, row, value.as_ref());
    let source = machine.moved_source(row).and_then(|moved| {
        let source = &machine.states[moved];
        source.data.map(|field| (source, field))
    });
    let data = source.map(|(_, field)| {
        let ty = &field.ty;
        (quote!(&#ty), quote!(__data))
    });
    let call = checked_action(machine, private, row, action, data, output.as_ref());
    let next = if target.is_some() {
        construct(machine, entered, Some(quote!(__built)))
    } else {
        construct(machine, entered, None)
    };
    let fired = expand_fired(private, state, fired_row);
    let body = quote! {
        #[allow(clippy::let_unit_value)]
        let __built = #call;
        #(#exits)*
        *self = #next;
        #(#entries)*
        #fired
    };
    match source {
        Some((source, field)) => {
            let pattern = data_pattern(source.ident, source.named, field);
            quote!(if let #pattern = &*self { #body })
        }
        None => quote!({ #body }),
    }
}

/// An internal transition: the state stays, its data may change, no hook runs.
fn expand_internal_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    row: &Row<'_>,
    fired_row: usize,
) -> TokenStream {
    let output = action_output(machine, row, None);
    let action = row.action.map(|action| {
        let source = &machine.states[state];
        match (machine.moved_source(row), source.data) {
            (Some(_), Some(field)) => {
                let ty = &field.ty;
                let pattern = data_pattern(source.ident, source.named, field);
                let data = Some((quote!(&mut #ty), quote!(__data)));
                let call = checked_action(machine, private, row, action, data, output.as_ref());
                quote!(if let #pattern = self { #call; })
            }
            _ => {
                let call = checked_action(machine, private, row, action, None, output.as_ref());
                quote!(#call;)
            }
        }
    });
    let fired = expand_fired(private, state, fired_row);
    let pre_actions = pre_actions(machine, row);
    quote! {
        #pre_actions
        #action
        #fired
    }
}

/// The calls of a row's actions before its last, in order, each `fn(&Event, &mut Context)`
/// (or given the values written after it instead of the event).
fn pre_actions(machine: &Machine<'_>, row: &Row<'_>) -> TokenStream {
    let param = context_param(machine, false);
    let arg = context_arg(machine, quote!(context));
    row.pre_actions
        .iter()
        .zip(row.awaited)
        .enumerate()
        .map(|(index, (action, &awaited))| {
            let (event_params, event_args) = row.event_part(machine.event, index);
            let params = event_params.iter().chain(&param);
            let args = event_args.iter().chain(&arg);
            let call = call_user(
                action,
                quote!(fn(#(#params),*)),
                &quote!(#(#args),*),
                awaited,
            );
            quote!(#call;)
        })
        .collect()
}
