//! The validated machine as tokens: the table as data, `fire` as one `match` on the state and
//! the event, and the `StateMachine` impl.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::diagram;
use super::fire::{construct, expand_fire_row};
use super::model::{Machine, Row, path_text};
use super::tokens::{context_type, respanned};

pub(super) fn expand_machine(machine: &Machine<'_>) -> TokenStream {
    let ident = machine.ident;
    let vis = machine.vis;
    let private = machine.krate.private(ident.span());
    let (impl_generics, ty_generics, where_clause) = machine.generics.split_for_impl();
    let event = machine.event;
    let context = context_type(machine);
    let machine_name = ident.to_string();

    let state_names: Vec<String> = machine.states.iter().map(|s| s.ident.to_string()).collect();
    let event_names: Vec<String> = machine.events().iter().map(ToString::to_string).collect();
    let transitions = machine
        .rows
        .iter()
        .map(|row| expand_info(machine, row, &private));
    let initial = construct(machine, machine.initial, None);
    let name_arms = machine.states.iter().map(|s| {
        let variant = s.ident;
        let name = variant.to_string();
        quote!(Self::#variant { .. } => #name,)
    });
    let event_name_arms = machine.events().iter().map(|e| {
        let name = e.to_string();
        quote!(#event::#e { .. } => #name,)
    });
    let next_arms = expand_arms(machine, &private, Mode::Next);
    let fire_arms = expand_arms(machine, &private, Mode::Fire);
    let mermaid = diagram::mermaid(machine);
    let dot = diagram::dot(machine);
    let trait_impl = expand_trait_impl(machine, &private);
    let (next_params, next_context, next_args) = asking(machine);

    quote! {
        const _: () = {
            // A private machine need not use every generated function.
            #[allow(dead_code)]
            impl #impl_generics #ident #ty_generics #where_clause {
                /// Every state, in declaration order.
                #vis const STATES: &'static [&'static str] = &[#(#state_names),*];

                /// Every event the table names, in the order it first names them.
                #vis const EVENTS: &'static [&'static str] = &[#(#event_names),*];

                /// The transition table, row by row.
                #vis const TRANSITIONS: &'static [#private::TransitionInfo] = &[#(#transitions),*];

                /// The initial state. Entry hooks do not run: there is no context yet.
                #[must_use]
                #vis fn initial() -> Self {
                    #initial
                }

                /// The name of the current state.
                #[must_use]
                #vis const fn state_name(&self) -> &'static str {
                    match *self {
                        #(#name_arms)*
                    }
                }

                fn __patternkit_event_name(event: &#event) -> &'static str {
                    #[allow(unreachable_patterns)]
                    match *event {
                        #(#event_name_arms)*
                        _ => "?",
                    }
                }

                /// The row that `event` would fire now; only guards run.
                #[must_use]
                #vis fn next(&self, #next_params) -> ::core::option::Option<&'static #private::TransitionInfo> {
                    #next_context
                    #[allow(unreachable_patterns)]
                    match *self {
                        #(#next_arms)*
                        _ => {}
                    }
                    ::core::option::Option::None
                }

                /// Whether `event` would be accepted now; only guards run.
                #[must_use]
                #vis fn can(&self, #next_params) -> bool {
                    self.next(#next_args).is_some()
                }

                /// Fires `event`: exit hooks of the states left, the row's action, entry hooks
                /// of the states entered.
                ///
                /// # Errors
                ///
                /// `InvalidTransition` when no row accepts the event now; the state is then
                /// unchanged and nothing has run but guards.
                #[inline]
                #vis fn fire(&mut self, event: &#event, context: &mut #context) -> ::core::result::Result<#private::Fired, #private::InvalidTransition> {
                    let _ = &context;
                    let mut __rejection = #private::Rejection::NoTransition;
                    #[allow(unreachable_patterns)]
                    match *self {
                        #(#fire_arms)*
                        _ => {}
                    }
                    ::core::result::Result::Err(#private::InvalidTransition::new(
                        #machine_name,
                        self.state_name(),
                        Self::__patternkit_event_name(event),
                        __rejection,
                    ))
                }

                /// The table as a Mermaid `stateDiagram-v2`, with guards and actions as labels.
                #[must_use]
                #vis const fn to_mermaid() -> &'static str {
                    #mermaid
                }

                /// The table as a Graphviz `digraph`, with guards and actions as labels.
                #[must_use]
                #vis const fn to_dot() -> &'static str {
                    #dot
                }
            }

            #trait_impl
        };
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

fn expand_trait_impl(machine: &Machine<'_>, private: &TokenStream) -> TokenStream {
    let next_call = if machine.context.is_some() {
        quote!(Self::next(self, event, context))
    } else {
        quote!({
            let _ = context;
            Self::next(self, event)
        })
    };
    let ident = machine.ident;
    let (impl_generics, ty_generics, where_clause) = machine.generics.split_for_impl();
    let event = machine.event;
    let context = context_type(machine);
    quote! {
    #[automatically_derived]
    impl #impl_generics #private::StateMachine for #ident #ty_generics #where_clause {
        type Event = #event;
        type Context = #context;

        const STATES: &'static [&'static str] = Self::STATES;
        const EVENTS: &'static [&'static str] = Self::EVENTS;
        const TRANSITIONS: &'static [#private::TransitionInfo] = Self::TRANSITIONS;

        fn initial() -> Self {
            Self::initial()
        }

        fn state_name(&self) -> &'static str {
            Self::state_name(self)
        }

        fn next(&self, event: &#event, context: &#context) -> ::core::option::Option<&'static #private::TransitionInfo> {
            #next_call
        }

        fn fire(&mut self, event: &#event, context: &mut #context) -> ::core::result::Result<#private::Fired, #private::InvalidTransition> {
            Self::fire(self, event, context)
        }
    }
    }
}

fn opt_str(value: Option<String>) -> TokenStream {
    match value {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}

fn expand_info(machine: &Machine<'_>, row: &Row<'_>, private: &TokenStream) -> TokenStream {
    let sources = row
        .sources
        .iter()
        .map(|&s| machine.states[s].ident.to_string());
    let source = &row.source_text;
    let event = row.event.to_string();
    let target = opt_str(row.target_text.clone());
    let enters = opt_str(row.enters.map(|s| machine.states[s].ident.to_string()));
    let guard = opt_str(row.guard.map(path_text));
    let action = opt_str(row.action.map(path_text));
    quote! {
        #private::TransitionInfo {
            sources: &[#(#sources),*],
            source: #source,
            event: #event,
            target: #target,
            enters: #enters,
            guard: #guard,
            action: #action,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Next,
    Fire,
}

/// One arm per state: a `match` on the event with the state's candidate rows in order.
fn expand_arms(machine: &Machine<'_>, private: &TokenStream, mode: Mode) -> Vec<TokenStream> {
    let event = machine.event;
    let mut arms = Vec::new();
    for (state, info) in machine.states.iter().enumerate() {
        let variant = info.ident;
        let mut event_arms = Vec::new();
        for &event_ident in machine.events() {
            let rows = machine.candidates(state, event_ident);
            if rows.is_empty() {
                continue;
            }
            // Rows after one that always fires could never be tried.
            let always = rows.iter().position(|&index| {
                let row = &machine.rows[index];
                row.guard.is_none() && row.event_fields.is_none()
            });
            let tried = always.map_or(rows, |last| &rows[..=last]);
            let checks = tried
                .iter()
                .map(|&index| expand_row(machine, private, state, index, mode));
            let rejected = (mode == Mode::Fire && always.is_none())
                .then(|| quote!(__rejection = #private::Rejection::GuardsRejected;));
            event_arms.push(quote! {
                #event::#event_ident { .. } => {
                    #(#checks)*
                    #rejected
                }
            });
        }
        if event_arms.is_empty() {
            continue;
        }
        arms.push(quote! {
            Self::#variant { .. } => {
                #[allow(unreachable_patterns)]
                match *event {
                    #(#event_arms)*
                    _ => {}
                }
            }
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
    let event = machine.event;
    let context = context_type(machine);
    let body = match mode {
        Mode::Next => quote!(return ::core::option::Option::Some(&Self::TRANSITIONS[#index]);),
        Mode::Fire => expand_fire_row(machine, private, state, index),
    };
    let guarded = match row.guard {
        Some(guard) => {
            let span = guard.span();
            let ctx = if mode == Mode::Fire {
                quote!(&*context)
            } else {
                quote!(context)
            };
            let signature = respanned(quote!(fn(&Self, &#event, &#context) -> bool), span);
            quote_spanned! {span=>
                if {
                    let __guard: #signature = #guard;
                    __guard(&*self, event, #ctx)
                } {
                    #body
                }
            }
        }
        None => body,
    };
    match row.event_fields {
        Some(fields) => {
            let variant = row.event;
            quote! {
                #[allow(unused_variables)]
                if let #event::#variant #fields = *event {
                    #guarded
                }
            }
        }
        None => quote!({ #guarded }),
    }
}
