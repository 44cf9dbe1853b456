//! What the machine knows about itself: its name, states, events and rows as constants, the
//! index of a state and an event, and the table drawn as diagrams.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::quote;

use super::diagram;
use super::fire::index_literal;
use super::guard::GuardExpr;
use super::model::{Machine, Row, path_text};

/// The inherent items describing the table.
pub(super) fn expand_tables(machine: &Machine<'_>, private: &TokenStream) -> TokenStream {
    let vis = machine.vis;
    let event = machine.event;
    let machine_name = name_of(machine.ident);
    let state_names: Vec<String> = machine.states.iter().map(|s| name_of(s.ident)).collect();
    let event_names: Vec<String> = machine.events().iter().map(|e| name_of(e)).collect();
    let transitions = machine
        .rows
        .iter()
        .map(|row| expand_info(machine, row, private));
    let index_arms = machine.states.iter().enumerate().map(|(index, s)| {
        let variant = s.ident;
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(Self::#variant { .. } => #index,)
    });
    let event_index_arms = machine.events().iter().enumerate().map(|(index, e)| {
        let pattern = machine.event_pattern(Some(e), None);
        let index = index_literal(index);
        quote!(#pattern => #index,)
    });
    let queries = expand_queries(machine);
    let outputs = expand_outputs(machine);
    let history = expand_history_tables(machine, private);
    let mermaid = diagram::mermaid(machine);
    let dot = diagram::dot(machine);
    let initial_const = machine.states[machine.initial].data.is_none().then(|| {
        let variant = machine.states[machine.initial].ident;
        quote! {
            /// The initial state, as a constant.
            #vis const INITIAL: Self = Self::#variant;
        }
    });
    quote! {
        /// The state enum's name.
        #vis const NAME: &'static ::core::primitive::str = #machine_name;

        /// Every state, in declaration order.
        #vis const STATES: &'static [&'static ::core::primitive::str] = &[#(#state_names),*];

        /// Every event the table names, in the order it first names them.
        #vis const EVENTS: &'static [&'static ::core::primitive::str] = &[#(#event_names),*];

        /// The transition table, row by row.
        #vis const TRANSITIONS: &'static [#private::TransitionInfo] = &[#(#transitions),*];

        #initial_const

        #outputs

        #history

        #queries

        /// The name of the current state.
        #[must_use]
        #vis const fn state_name(&self) -> &'static ::core::primitive::str {
            Self::STATES[self.state_index()]
        }

        /// The current state as an index into `STATES`.
        #[must_use]
        #[inline]
        #vis const fn state_index(&self) -> ::core::primitive::usize {
            match *self {
                #(#index_arms)*
            }
        }

        #[inline]
        fn __patternkit_event_index(event: &#event) -> ::core::primitive::u16 {
            #[allow(unreachable_patterns)]
            match *event {
                #(#event_index_arms)*
                _ => ::core::primitive::u16::MAX,
            }
        }

        /// The table as a Mermaid `stateDiagram-v2`, with guards and actions as labels.
        #[must_use]
        #vis const fn to_mermaid() -> &'static ::core::primitive::str {
            #mermaid
        }

        /// The table as a Graphviz `digraph`, with guards and actions as labels.
        #[must_use]
        #vis const fn to_dot() -> &'static ::core::primitive::str {
            #dot
        }
    }
}

/// `HISTORY_TRANSITIONS` and `HISTORY_ROWS`, for a machine with a superstate with history:
/// the rows into it as they fire when they go back to another state than its initial one.
fn expand_history_tables(machine: &Machine<'_>, private: &TokenStream) -> Option<TokenStream> {
    if !machine.has_history() {
        return None;
    }
    let vis = machine.vis;
    let rows = machine.history_rows();
    let infos = rows.iter().map(|&(index, entered)| {
        let mut into = machine.rows[index].clone();
        into.enters = Some(entered);
        expand_info(machine, &into, private)
    });
    let indices = rows.iter().map(|&(index, _)| index_literal(index));
    Some(quote! {
        /// The rows into superstates with history as they fire when they go back to another
        /// state than the superstate's initial one, each with that state as `enters`; a
        /// `Fired` names the `k`th as row `TRANSITIONS.len() + k`.
        #vis const HISTORY_TRANSITIONS: &'static [#private::TransitionInfo] = &[#(#infos),*];

        /// For each of `HISTORY_TRANSITIONS`, its row in `TRANSITIONS`.
        #vis const HISTORY_ROWS: &'static [::core::primitive::u16] = &[#(#indices),*];
    })
}

/// `OUTPUTS`, each row's `output Value`, for a machine with `output = Type`.
fn expand_outputs(machine: &Machine<'_>) -> Option<TokenStream> {
    let output = machine.output?;
    let vis = machine.vis;
    let values = machine.rows.iter().map(|row| match row.output {
        Some(value) => {
            let value = output_value(output, value);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    });
    Some(quote! {
        /// What each row gives back when it fires (`output Value`), in the order of
        /// `TRANSITIONS`; `fired.output()` reads it.
        #vis const OUTPUTS: &'static [::core::option::Option<#output>] = &[#(#values),*];
    })
}

/// A row's output: a bare name (`StartTimer`, `Code(3)`) is a variant of the output type;
/// anything else is written as it is.
fn output_value(output: &syn::Type, value: &crate::expr::Expr) -> TokenStream {
    // Read as far as the plain expressions syn parses without its `full` feature; a bare
    // name or call is all this looks for.
    let Ok(value) = syn::parse2::<syn::Expr>(value.tokens().clone()) else {
        return quote!(#value);
    };
    let bare = |path: &syn::ExprPath| {
        (path.qself.is_none() && path.path.leading_colon.is_none())
            .then(|| path.path.get_ident())
            .flatten()
            .cloned()
    };
    match &value {
        syn::Expr::Path(path) => match bare(path) {
            Some(variant) => quote!(<#output>::#variant),
            None => quote!(#value),
        },
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(path) => match bare(path) {
                Some(variant) => {
                    let args = &call.args;
                    let paren = &call.paren_token;
                    let mut out = quote!(<#output>::#variant);
                    paren.surround(&mut out, |tokens| quote::ToTokens::to_tokens(args, tokens));
                    out
                }
                None => quote!(#value),
            },
            _ => quote!(#value),
        },
        _ => quote!(#value),
    }
}

/// Where the machine is: `SUPERSTATES`, `is_in` and `defers`.
fn expand_queries(machine: &Machine<'_>) -> TokenStream {
    let vis = machine.vis;
    let event = machine.event;
    let superstate_names: Vec<String> = machine
        .superstates
        .iter()
        .map(|s| name_of(s.ident))
        .collect();
    let is_in_arms = machine.states.iter().enumerate().map(|(index, s)| {
        let variant = s.ident;
        let names = std::iter::once(name_of(variant)).chain(
            machine
                .ancestors(index)
                .into_iter()
                .map(|a| name_of(machine.superstates[a].ident)),
        );
        quote!(Self::#variant { .. } => &[#(#names),*],)
    });
    let defer_arms = machine
        .states
        .iter()
        .filter(|s| !s.defer.is_empty())
        .map(|s| {
            let variant = s.ident;
            let patterns = s.defer.iter().map(|e| machine.event_pattern(Some(e), None));
            quote!(Self::#variant { .. } => ::core::matches!(*event, #(#patterns)|*),)
        });
    let is_in = if machine.superstates.is_empty() {
        quote!(self.state_name() == name)
    } else {
        quote! {
            let names: &[&::core::primitive::str] = match *self {
                #(#is_in_arms)*
            };
            names.contains(&name)
        }
    };
    // Without a state that defers, the trait's default answers.
    let defers = machine.defers_any().then(|| {
        quote! {
            /// Whether the current state defers `event` (`#[state(defer = [..])]`): a
            /// `Deferring` machine keeps it and tries it again after the next transition.
            #[must_use]
            #vis fn defers(&self, event: &#event) -> ::core::primitive::bool {
                #[allow(unreachable_patterns)]
                match *self {
                    #(#defer_arms)*
                    _ => false,
                }
            }
        }
    });
    quote! {
        /// Every superstate, in the order the table declares them.
        #vis const SUPERSTATES: &'static [&'static ::core::primitive::str] = &[#(#superstate_names),*];

        /// Whether the machine is in the state or superstate called `name` (a state is in
        /// every superstate around it).
        #[must_use]
        #vis fn is_in(&self, name: &::core::primitive::str) -> ::core::primitive::bool {
            #is_in
        }

        #defers
    }
}

/// One row of `TRANSITIONS`, built by the constructors that leave out what the usual row does
/// not have (a different state entered, a guard, an action): each argument is a value the
/// compiler evaluates on every build.
fn expand_info(machine: &Machine<'_>, row: &Row<'_>, private: &TokenStream) -> TokenStream {
    let sources = row
        .sources
        .iter()
        .map(|&s| name_of(machine.states[s].ident));
    let source = &row.source_text;
    let event = row.event_text();
    // A row has a target exactly when it enters a state (the target, or the initial state
    // inside a target superstate); an internal row (`=> _`) has neither.
    let entered = row.enters.map(|s| name_of(machine.states[s].ident));
    let mut info = match row.target_text.as_ref().zip(entered) {
        Some((target, entered)) => {
            let mut info =
                quote!(#private::TransitionInfo::to(&[#(#sources),*], #source, #event, #target));
            if entered != *target {
                info.extend(quote!(.entering(#entered)));
            }
            info
        }
        None => quote!(#private::TransitionInfo::stay(&[#(#sources),*], #source, #event)),
    };
    if let Some(guard) = row.guard.map(GuardExpr::text) {
        info.extend(quote!(.guarded(#guard)));
    }
    if let Some(action) = actions_text(row) {
        info.extend(quote!(.acting(#action)));
    }
    info
}

/// The row's actions as written: `a`, or `(a, b)` for several.
pub(super) fn actions_text(row: &Row<'_>) -> Option<String> {
    let last = row.action?;
    if row.pre_actions.is_empty() {
        return Some(path_text(last));
    }
    let all: Vec<String> = row
        .pre_actions
        .iter()
        .chain([last])
        .map(path_text)
        .collect();
    Some(format!("({})", all.join(", ")))
}
