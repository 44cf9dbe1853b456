//! The validated machine as tokens: the table as data, `fire` as one `match` on the state and
//! the event (or a lookup in a table of cells, `table.rs`), and the `StateMachine` impl.

use proc_macro2::TokenStream;
use quote::quote;

use super::construct::construct_initial;
use super::fire::{expand_fire_row, plain_row};
use super::hooks::hook;
use super::model::{Machine, Node};

use super::{callbacks, next, table, tables, trait_impl};

pub(super) fn expand_machine(machine: &Machine<'_>) -> TokenStream {
    let ident = machine.ident;
    let vis = machine.vis;
    let private = machine.krate.private(ident.span());
    let (impl_generics, ty_generics, where_clause) = machine.generics.split_for_impl();
    let event = machine.event;
    let tables = tables::expand_tables(machine, &private);
    let initial = construct_initial(machine);
    let start_arms = expand_start_arms(machine);
    let trait_impl = trait_impl::expand_trait_impl(machine, &private, !start_arms.is_empty());
    let (next_params, next_context, next_args) = asking(machine);
    let (fire_params, fire_context) = firing(machine);
    let start_body = if start_arms.is_empty() {
        let unused = machine.context.map(|_| quote!(let _ = context;));
        quote!(#unused)
    } else {
        quote! {
            #fire_context
            #[allow(unreachable_patterns)]
            match *self {
                #(#start_arms)*
                _ => {}
            }
        }
    };
    let fire_error = machine.fire_error(&private);
    // With an awaited guard, action or hook, the functions that run them are `async fn`s.
    let (asyncness, awaited) = if machine.is_async() {
        (quote!(async), quote!(.await))
    } else {
        (quote!(), quote!())
    };
    let matched = || expand_fire_body(&private, &expand_arms(machine, &private, Mode::Fire));
    let table = table::Table::of(machine);
    let inner = match &table {
        Some(table) => table.fire(machine, &private, matched),
        None => matched(),
    };
    let cells = table.as_ref().map(table::Table::item);
    let event_alias = machine.event_alias();
    let next_body = next::next_by_rows(machine, &private).unwrap_or_else(|| {
        let next_arms = expand_arms(machine, &private, Mode::Next);
        quote! {
            #[allow(unreachable_patterns)]
            match *self {
                #(#next_arms)*
                _ => {}
            }
            ::core::option::Option::None
        }
    });
    let (fire_body, fire_items) = callbacks::wrap_fire(machine, &private, inner);

    quote! {
        const _: () = {
            #event_alias
            #cells

            // A private machine need not use every generated function.
            #[allow(dead_code)]
            impl #impl_generics #ident #ty_generics #where_clause {
                #tables

                /// The initial state. No hook runs: `start` runs the entry hooks.
                #[must_use]
                #vis fn initial() -> Self {
                    #initial
                }

                /// Enters the current state as a transition into it from outside would: the
                /// entry hooks of its superstates, outermost first, then its own. Call it
                /// once, before the first event.
                #vis #asyncness fn start(&mut self, #fire_params) {
                    #start_body
                }

                /// The row that `event` would fire now; only guards run.
                #[must_use]
                #vis #asyncness fn next(&self, #next_params) -> ::core::option::Option<&'static #private::TransitionInfo> {
                    #next_context
                    #next_body
                }

                /// Whether `event` would be accepted now; only guards run.
                #[must_use]
                #vis #asyncness fn can(&self, #next_params) -> ::core::primitive::bool {
                    self.next(#next_args)#awaited.is_some()
                }

                /// Fires `event`: exit hooks of the states left, the row's action, entry hooks
                /// of the states entered.
                ///
                /// # Errors
                ///
                /// `InvalidTransition` when no row accepts the event now; the state is then
                /// unchanged and nothing has run but guards.
                #[inline]
                #vis #asyncness fn fire(&mut self, event: &#event, #fire_params) -> ::core::result::Result<#private::Fired<Self>, #fire_error> {
                    #fire_context
                    #fire_body
                }


                #fire_items
            }

            #trait_impl
        };
    }
}

/// What `fire` does before any callback: one `match` on the state and the event. A row that
/// only moves to a state without data breaks out with its constants (the state entered, the
/// indices of the state left and of the row), so that a table of such rows compiles to
/// lookups as a hand-written `*self = match ...` does; other rows return by themselves.
fn expand_fire_body(private: &TokenStream, fire_arms: &[TokenStream]) -> TokenStream {
    quote! {
        let mut __rejection = #private::Rejection::NoTransition;
        #[allow(unreachable_code, unused_labels)]
        let (__next, __from, __row): (Self, ::core::primitive::u16, ::core::primitive::u16) = 'fired: {
            #[allow(unreachable_patterns)]
            match *self {
                #(#fire_arms)*
                _ => {}
            }
            return ::core::result::Result::Err(::core::convert::From::from(
                #private::InvalidTransition::new(
                    self.state_index() as ::core::primitive::u16,
                    Self::__patternkit_event_index(event),
                    __rejection,
                ),
            ));
        };
        #[allow(unreachable_code)]
        {
            *self = __next;
            ::core::result::Result::Ok(#private::Fired::new(__from, __row))
        }
    }
}

/// One arm per state with entry hooks on the way in: its superstates' hooks, outermost
/// first, then its own.
fn expand_start_arms(machine: &Machine<'_>) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    for (index, state) in machine.states.iter().enumerate() {
        let mut nodes: Vec<Node> = machine
            .ancestors(index)
            .into_iter()
            .map(Node::Super)
            .collect();
        nodes.reverse();
        nodes.push(Node::State(index));
        let hooks: Vec<TokenStream> = nodes
            .into_iter()
            .filter_map(|node| hook(machine, node, true, false))
            .collect();
        if hooks.is_empty() {
            continue;
        }
        let variant = state.ident;
        arms.push(quote!(Self::#variant { .. } => { #(#hooks)* }));
    }
    arms
}

/// The context parameter of `fire` and `start`, and what their body starts with. Without a
/// context they take none: `door.fire(&event)`.
fn firing(machine: &Machine<'_>) -> (TokenStream, TokenStream) {
    match machine.context {
        Some(context) => (quote!(context: &mut #context), quote!(let _ = &context;)),
        None => (
            quote!(),
            quote!(let context: &mut () = &mut ();
                   let _ = &context;),
        ),
    }
}

/// The parameters of `next` and `can`, what their body starts with, and the arguments
/// `can` passes on. Without a context, asking needs only the event: `door.can(&event)`.
fn asking(machine: &Machine<'_>) -> (TokenStream, TokenStream, TokenStream) {
    let event = machine.event;
    match machine.context {
        Some(context) => (
            quote!(event: &#event, context: &#context),
            quote!(let _ = context;),
            quote!(event, context),
        ),
        None => (
            quote!(event: &#event),
            quote!(let context: &() = &();),
            quote!(event),
        ),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Next,
    Fire,
}

/// One arm per state: a `match` on the event with the state's candidate rows in order.
fn expand_arms(machine: &Machine<'_>, private: &TokenStream, mode: Mode) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    for (state, info) in machine.states.iter().enumerate() {
        let variant = info.ident;
        let mut event_arms = Vec::new();
        let mut wildcard = false;
        for event_ident in machine.event_slots() {
            let tried = machine.tried(state, event_ident);
            let Some(&last) = tried.last() else {
                continue;
            };
            let pattern = machine.event_pattern(event_ident, None);
            wildcard |= event_ident.is_none();
            // One row that always fires: the arm is what it does, as an expression.
            let only = match tried {
                &[index] if machine.rows[index].always_fires() => match mode {
                    Mode::Next => Some(answer(index)),
                    Mode::Fire => plain_row(machine, state, index),
                },
                _ => None,
            };
            if let Some(only) = only {
                event_arms.push(quote!(#pattern => #only,));
                continue;
            }
            let checks = tried
                .iter()
                .map(|&index| expand_row(machine, private, state, index, mode));
            let rejected = (mode == Mode::Fire && !machine.rows[last].always_fires())
                .then(|| quote!(__rejection = #private::Rejection::GuardsRejected;));
            event_arms.push(quote! {
                #pattern => {
                    #(#checks)*
                    #rejected
                }
            });
        }
        if event_arms.is_empty() {
            continue;
        }
        let others = (!wildcard).then(|| quote!(_ => {}));
        // The `match` on the state allows unreachable patterns for the arms inside too.
        arms.push(quote! {
            Self::#variant { .. } => match *event {
                #(#event_arms)*
                #others
            },
        });
    }
    arms
}

/// Tries one row: its event pattern, its guard, then (for `fire`) everything it does.
fn expand_row(
    machine: &Machine<'_>,
    private: &TokenStream,
    state: usize,
    index: usize,
    mode: Mode,
) -> TokenStream {
    let row = &machine.rows[index];
    let body = match mode {
        Mode::Next => {
            let answer = answer(index);
            quote!(#answer;)
        }
        Mode::Fire => plain_row(machine, state, index).map_or_else(
            || expand_fire_row(machine, private, state, index),
            |moved| quote!(#moved;),
        ),
    };
    let guarded = match row.guard {
        Some(guard) => {
            let context = if mode == Mode::Fire {
                quote!(&*context)
            } else {
                quote!(context)
            };
            let condition = guard.to_tokens(machine, &context, mode == Mode::Fire);
            quote! {
                if #condition {
                    #body
                }
            }
        }
        None => body,
    };
    match row.event_fields {
        Some(fields) => {
            let pattern = machine.event_pattern(row.event, Some(fields));
            quote! {
                #[allow(unused_variables)]
                if let #pattern = *event {
                    #guarded
                }
            }
        }
        None => quote!({ #guarded }),
    }
}

/// What `next`'s `match` does for row `index`, as an expression: it answers the row.
fn answer(index: usize) -> TokenStream {
    quote!(return ::core::option::Option::Some(&Self::TRANSITIONS[#index]))
}
