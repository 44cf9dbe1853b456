//! Design patterns as annotations.
//!
//! Put an attribute or a derive on your own type and get the pattern, generated as the code a
//! careful engineer would write by hand, with compile errors that say what is wrong and how to
//! fix it.
//!
//! | pattern | annotation | runtime trait |
//! | --- | --- | --- |
//! | Singleton | [`#[singleton]`](macro@singleton) | [`Singleton`] |
//! | Factory | [`#[derive(Factory)]`](derive@Factory) | [`Factory`], [`FactoryKind`] |
//! | State machine | [`#[derive(StateMachine)]`](derive@StateMachine) | [`StateMachine`] |
//! | CQRS | [`#[derive(Command, Query, Event, Bus)]`](cqrs), [`#[handlers]`](cqrs::handlers) | [`cqrs::Bus`], [`cqrs::Registry`] |
//! | Dependency injection | [`#[derive(Inject, Container)]`](di) | [`di::Container`](struct@di::Container), [`di::Provides`] |
//!
//! ```
//! use patternkit::prelude::*;
//!
//! #[singleton]
//! #[derive(Default)]
//! struct Settings {
//!     verbose: bool,
//! }
//!
//! assert!(!Settings::instance().verbose);
//! assert!(std::ptr::eq(Settings::instance(), Settings::get().unwrap()));
//! ```
//!
//! # Features
//!
//! - `std` (default): everything that needs an operating system — singletons, the runtime DI
//!   container and CQRS registry, [`block_on`](cqrs::block_on), pools, messaging, stores,
//!   sagas, commit. Without it (`default-features = false`) the crate is `no_std` and needs
//!   only `alloc`: factories, state machines, the compile-time CQRS bus and the compile-time
//!   DI container, for a WebAssembly isolate or a microcontroller. See the README's section on
//!   isolates.
//! - `testing`: `T::scoped_override(&stand_in, || ...)` on every singleton, so that each test
//!   thread can see its own instance. Off by default; with it off, nothing of it is compiled.
//! - `log`: `cqrs::Logging`, a middleware logging every dispatch through the `log` facade.
//! - `serde`: `Serialize` for the state machine's [`TransitionInfo`], [`Fired`],
//!   [`InvalidTransition`] and [`Rejection`]. A machine's state is your own enum: derive
//!   `Serialize` and `Deserialize` on it beside `StateMachine` to save and restore it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "std")]
#[doc(inline)]
pub use patternkit_core::Singleton;
pub use patternkit_core::factory;

#[doc = include_str!("doc/cqrs.md")]
pub mod cqrs {
    #[doc(inline)]
    pub use patternkit_core::cqrs::*;
    #[doc = include_str!("doc/bus.md")]
    pub use patternkit_macros::Bus;
    #[doc = include_str!("doc/command.md")]
    pub use patternkit_macros::Command;
    #[doc = include_str!("doc/event.md")]
    pub use patternkit_macros::Event;
    #[doc = include_str!("doc/query.md")]
    pub use patternkit_macros::Query;
    #[doc = include_str!("doc/handlers.md")]
    pub use patternkit_macros::handlers;
}

/// Dependency injection: `#[derive(Inject)]` builds a struct from its dependencies;
/// `#[derive(Container)]` wires them at compile time, and the runtime
/// [`Container`](struct@di::Container) holds bindings, its whole graph checked when it is built.
pub mod di {
    #[doc(inline)]
    pub use patternkit_core::di::*;
    #[doc = include_str!("doc/container.md")]
    pub use patternkit_macros::Container;
    #[doc = include_str!("doc/inject.md")]
    pub use patternkit_macros::Inject;
}
#[cfg(feature = "saga")]
#[doc = include_str!("doc/saga.md")]
pub mod saga {
    #[doc(inline)]
    pub use patternkit_core::saga::*;
    pub use patternkit_macros::saga;
}
#[cfg(feature = "commit")]
#[doc(inline)]
pub use patternkit_commit as commit;
#[cfg(feature = "std")]
pub use patternkit_core::messaging;
#[cfg(feature = "std")]
pub use patternkit_core::pool;
#[cfg(feature = "std")]
pub use patternkit_core::singleton;
pub use patternkit_core::state_machine;
#[cfg(feature = "std")]
pub use patternkit_core::store;
#[cfg(feature = "std")]
pub use patternkit_core::time;
#[doc(inline)]
pub use patternkit_core::{
    Factory, FactoryIter, FactoryKind, FactoryNames, UnknownKind, UnknownName,
};
#[doc(inline)]
pub use patternkit_core::{
    Fired, InvalidTransition, MachineTable, Rejection, StateMachine, TransitionInfo,
};
#[cfg(feature = "mariadb")]
#[doc(inline)]
pub use patternkit_mariadb as mariadb;
#[cfg(feature = "nats")]
#[doc(inline)]
pub use patternkit_nats as nats;
#[cfg(feature = "postgres")]
#[doc(inline)]
pub use patternkit_postgres as postgres;
#[cfg(feature = "sqlite")]
#[doc(inline)]
pub use patternkit_sqlite as sqlite;

#[cfg(feature = "std")]
#[doc = include_str!("doc/singleton.md")]
pub use patternkit_macros::singleton;

#[doc = include_str!("doc/factory.md")]
pub use patternkit_macros::Factory;

#[doc = include_str!("doc/state_machine.md")]
pub use patternkit_macros::StateMachine;

/// Everything needed to use the patterns: `use patternkit::prelude::*;`.
pub mod prelude {
    #[cfg(feature = "std")]
    #[doc(no_inline)]
    pub use crate::Singleton;
    #[doc(no_inline)]
    pub use crate::cqrs::{Bus, Command, Event, Query, handlers};
    #[doc(no_inline)]
    pub use crate::di::{Container, Inject};
    #[cfg(feature = "std")]
    #[doc(no_inline)]
    pub use crate::singleton;
    #[doc(no_inline)]
    pub use crate::{Factory, FactoryKind, StateMachine, UnknownKind};
}

// The README's examples are compiled and run as doctests so they cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
