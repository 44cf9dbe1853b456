//! Procedural macros behind [`patternkit`](https://docs.rs/patternkit).
//!
//! Depend on `patternkit`, not on this crate: the macros expand to paths through
//! `patternkit::__private`, and their documentation lives there.

mod enum_input;
mod errors;
mod krate;
mod symbol;

mod factory;
mod singleton;
mod state_machine;

#[cfg(test)]
mod never_panics;

use proc_macro::TokenStream;

/// Makes a struct or enum a process-wide singleton. See `patternkit::singleton`.
#[proc_macro_attribute]
pub fn singleton(args: TokenStream, item: TokenStream) -> TokenStream {
    singleton::expand(args.into(), item.into()).into()
}

/// Builds the variants of an enum from a kind or a name. See `patternkit::Factory`.
#[proc_macro_derive(Factory, attributes(factory))]
pub fn derive_factory(input: TokenStream) -> TokenStream {
    factory::expand(input.into()).into()
}

/// Runs an enum as a state machine from a transition table. See `patternkit::StateMachine`.
#[proc_macro_derive(StateMachine, attributes(state_machine, state))]
pub fn derive_state_machine(input: TokenStream) -> TokenStream {
    state_machine::expand(input.into()).into()
}
