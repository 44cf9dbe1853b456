//! Procedural macros behind [`patternkit`](https://docs.rs/patternkit).
//!
//! Depend on `patternkit`, not on this crate: the macros expand to paths through
//! `patternkit::__private`, and their documentation lives there.

mod attr;
mod attribute_input;
mod derive_input;
mod errors;
mod krate;
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

/// Makes a struct or enum a process-wide singleton. See `patternkit::singleton`.
#[proc_macro_attribute]
pub fn singleton(args: TokenStream, item: TokenStream) -> TokenStream {
    singleton::expand(args.into(), item.into()).into()
}

/// Makes the `#[step]` methods of an impl block the steps of a saga. See `patternkit::saga`.
#[proc_macro_attribute]
pub fn saga(args: TokenStream, item: TokenStream) -> TokenStream {
    saga::expand(args.into(), item.into()).into()
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

/// A command: a request to change the write model. See `patternkit::cqrs::Command`.
#[proc_macro_derive(Command, attributes(command))]
pub fn derive_command(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Command).into()
}

/// A query: a request to read the read model. See `patternkit::cqrs::Query`.
#[proc_macro_derive(Query, attributes(query))]
pub fn derive_query(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Query).into()
}

/// An event: something that happened. See `patternkit::cqrs::Event`.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    cqrs::message::expand(input.into(), cqrs::message::Kind::Event).into()
}

/// Implements the handler traits for the marked methods of an impl block. See
/// `patternkit::cqrs::handlers`.
#[proc_macro_attribute]
pub fn handlers(args: TokenStream, item: TokenStream) -> TokenStream {
    cqrs::handlers::expand(args.into(), item.into()).into()
}

/// A bus checked at compile time. See `patternkit::cqrs::Bus`.
#[proc_macro_derive(Bus, attributes(bus, handles, subscribes, middleware))]
pub fn derive_bus(input: TokenStream) -> TokenStream {
    cqrs::bus::expand(input.into()).into()
}

/// Builds a struct from its dependencies. See `patternkit::di::Inject`.
#[proc_macro_derive(Inject, attributes(inject))]
pub fn derive_inject(input: TokenStream) -> TokenStream {
    di::inject::expand(input.into()).into()
}

/// A dependency-injection container checked at compile time. See `patternkit::di::Container`.
#[proc_macro_derive(Container, attributes(container, provide))]
pub fn derive_container(input: TokenStream) -> TokenStream {
    di::container::expand(input.into()).into()
}
