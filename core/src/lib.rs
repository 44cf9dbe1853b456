//! Runtime traits and types behind the [`patternkit`](https://docs.rs/patternkit) macros.
//!
//! This crate is an implementation detail of `patternkit`: depend on `patternkit` and use
//! its re-exports (`use patternkit::prelude::*;`). Everything here is plain, generic Rust
//! compiled once, so the code the macros generate for each annotated type stays thin.

pub mod cqrs;
pub mod di;
pub mod factory;
mod init_lock;
pub mod messaging;
pub mod pool;
#[cfg(feature = "saga")]
pub mod saga;
pub mod singleton;
pub mod state_machine;
pub mod store;
pub mod time;
mod type_map;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use factory::{Factory, FactoryKind, FactoryNames, UnknownKind, UnknownName};
pub use singleton::Singleton;
pub use state_machine::{Fired, InvalidTransition, Rejection, StateMachine, TransitionInfo};
