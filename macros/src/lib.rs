//! Procedural macros behind [`patternkit`](https://docs.rs/patternkit).
//!
//! Depend on `patternkit`, not on this crate: the macros expand to paths through
//! `patternkit::__private`, and their documentation lives there.

mod attr;
mod attribute_input;
mod derive_input;
mod errors;
mod expr;
mod ident_name;
mod item_impl;
mod krate;
mod owned;
mod symbol;
mod type_key;
mod unique;

mod cqrs;
mod di;
mod factory;
mod saga;
mod singleton;
mod state_machine;

#[cfg(test)]
mod never_panics;

use proc_macro::TokenStream;

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_attribute]
pub fn singleton(args: TokenStream, item: TokenStream) -> TokenStream {
    singleton::expand(args.into(), item.into()).into()
}

/// Makes the `#[step]` methods of an impl block the steps of a saga. See `patternkit::saga`.
#[proc_macro_attribute]
pub fn saga(args: TokenStream, item: TokenStream) -> TokenStream {
    saga::expand(args.into(), item.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Factory, attributes(factory))]
pub fn derive_factory(input: TokenStream) -> TokenStream {
    factory::expand(input.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(StateMachine, attributes(state_machine, state))]
pub fn derive_state_machine(input: TokenStream) -> TokenStream {
    state_machine::expand(input.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Command, attributes(command))]
pub fn derive_command(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Command).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Query, attributes(query))]
pub fn derive_query(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Query).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Event).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_attribute]
pub fn handlers(args: TokenStream, item: TokenStream) -> TokenStream {
    cqrs::handlers::expand(args.into(), item.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Bus, attributes(bus, handles, subscribes, middleware, behavior))]
pub fn derive_bus(input: TokenStream) -> TokenStream {
    cqrs::bus::expand(input.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Inject, attributes(inject))]
pub fn derive_inject(input: TokenStream) -> TokenStream {
    di::inject::expand(input.into()).into()
}

// Documented where `patternkit` re-exports it; see the facade crate.
#[allow(missing_docs)]
#[proc_macro_derive(Container, attributes(container, provide))]
pub fn derive_container(input: TokenStream) -> TokenStream {
    di::container::expand(input.into()).into()
}
