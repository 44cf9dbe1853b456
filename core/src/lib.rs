//! Runtime traits and types behind the [`patternkit`](https://docs.rs/patternkit) macros.
//!
//! This crate is an implementation detail of `patternkit`: depend on `patternkit` and use
//! its re-exports (`use patternkit::prelude::*;`). Everything here is plain, generic Rust
//! compiled once, so the code the macros generate for each annotated type stays thin.
//!
//! Without the default `std` feature the crate is `no_std` and needs only `alloc`: factories,
//! state machines, the compile-time CQRS bus and the compile-time DI container work there
//! (a WebAssembly isolate, say); everything that needs threads, clocks or I/O does not.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod cqrs;
pub mod di;
pub mod factory;
#[cfg(feature = "std")]
mod init_lock;
#[cfg(feature = "std")]
pub mod messaging;
#[cfg(feature = "std")]
pub mod pool;
#[cfg(feature = "saga")]
pub mod saga;
#[cfg(feature = "std")]
pub mod singleton;
pub mod state_machine;
#[cfg(feature = "std")]
pub mod store;
#[cfg(feature = "std")]
pub mod time;
#[cfg(feature = "std")]
mod type_map;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use factory::{Factory, FactoryIter, FactoryKind, FactoryNames, UnknownKind, UnknownName};
#[cfg(feature = "std")]
pub use singleton::Singleton;
pub use state_machine::{
    Fired, InvalidTransition, MachineTable, Rejection, StateMachine, TransitionInfo,
};
