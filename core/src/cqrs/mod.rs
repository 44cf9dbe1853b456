//! Command Query Responsibility Segregation: commands change the write model, queries read the
//! read model, events carry changes between them.
//!
//! - Messages: `#[derive(Command)]`, `#[derive(Query)]`, `#[derive(Event)]`.
//! - Handlers: [`CommandHandler`], [`QueryHandler`], [`EventHandler`], written by hand or by
//!   `#[handlers]` on an impl block (`async fn` or plain `fn`).
//! - Two registries: `#[derive(Bus)]`, checked entirely at compile time with direct dispatch,
//!   and [`Registry`], filled at run time for plugins.
//! - [`Middleware`] around every dispatch on both, in declared order: [`Validation`],
//!   [`Timing`], and `Logging` (feature `log`).
//! - [`Behavior`]s around one command or query: they see the message and the response and
//!   call [`Next`] once, never (a cache) or again (a retry); [`Before`], [`After`] and
//!   [`Recover`] are the pre-processor, post-processor and exception handler.
//!
//! Handlers return futures that are `Send`, and need no particular executor; [`block_on`]
//! runs one on the current thread. For a single-threaded executor or wasm, `#[bus(local)]`
//! and `#[handlers(local)]` take handlers whose futures are not `Send` ([`local`]).

mod behavior;
mod bus;
mod delivery;
mod error;
#[cfg(feature = "std")]
mod executor;
mod future;
pub(crate) mod handler;
#[cfg(feature = "std")]
mod inline;
pub mod local;
mod message;
mod middleware;
#[cfg(feature = "std")]
mod publisher;
#[cfg(feature = "std")]
mod registry;

pub use behavior::{After, Before, Behavior, Chain, Next, Recover, Response};
pub use bus::{
    Bus, CommandFamily, CommandNext, EventFamily, Family, HandledFamily, HandlerOf, Publish,
    QueryFamily, QueryNext, Route,
};
pub use delivery::{
    BoxError, Concurrently, Delivery, Handled, Reaction, SubscriberErrors, SubscriberFailure,
};
pub use error::{
    DispatchError, RegistrationError, RegistrationErrors, Rejection, Unhandled, ValidationError,
};
#[cfg(feature = "std")]
pub use executor::block_on;
pub use future::{Dispatch, Lazy, lazy};
pub use handler::{CommandHandler, EventHandler, QueryHandler};
pub use local::{
    LocalCommandHandler, LocalEventHandler, LocalHandlerOf, LocalQueryHandler, PublishLocal,
};
pub use message::{Command, Event, Message, MessageKind, Query, Request, Validate};
#[cfg(feature = "log")]
pub use middleware::Logging;
pub use middleware::{Completed, Entered, Incoming, Middleware, Outcome, Pipeline, Validation};
#[cfg(feature = "std")]
pub use middleware::{Timing, Timings};
#[cfg(feature = "std")]
pub use publisher::{CorrelationId, PublishError, Publisher};
#[cfg(feature = "std")]
pub use registry::{Registry, RegistryBuilder};
