//! The three kinds of handler. They return futures, so a handler may be `async`; a plain
//! `fn` handler returns a ready future (`#[handlers]` writes these impls for either).

use core::future::Future;

use super::{Command, Event, Query};

/// Handles one command type. A command has exactly one handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle the command `{C}`",
    label = "this field is registered for `{C}`",
    note = "implement `CommandHandler<{C}>` for `{Self}`, or mark a method `#[command]` in a \
            `#[patternkit::cqrs::handlers]` impl block"
)]
pub trait CommandHandler<C: Command>: Send + Sync {
    /// Handles `command`.
    fn handle(&self, command: C) -> impl Future<Output = Result<C::Output, C::Error>> + Send;
}

/// Handles one query type. A query has exactly one handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle the query `{Q}`",
    label = "this field is registered for `{Q}`",
    note = "implement `QueryHandler<{Q}>` for `{Self}`, or mark a method `#[query]` in a \
            `#[patternkit::cqrs::handlers]` impl block"
)]
pub trait QueryHandler<Q: Query>: Send + Sync {
    /// Answers `query`.
    fn handle(&self, query: Q) -> impl Future<Output = Result<Q::Output, Q::Error>> + Send;
}

/// Reacts to one event type. An event has zero or more subscribers.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not subscribe to the event `{E}`",
    label = "this field is subscribed to `{E}`",
    note = "implement `EventHandler<{E}>` for `{Self}`, or mark a method `#[event]` in a \
            `#[patternkit::cqrs::handlers]` impl block"
)]
pub trait EventHandler<E: Event>: Send + Sync {
    /// Reacts to `event`.
    fn handle(&self, event: &E) -> impl Future<Output = ()> + Send;
}

impl<C: Command, H: CommandHandler<C> + ?Sized> CommandHandler<C> for alloc::sync::Arc<H> {
    fn handle(&self, command: C) -> impl Future<Output = Result<C::Output, C::Error>> + Send {
        (**self).handle(command)
    }
}

impl<Q: Query, H: QueryHandler<Q> + ?Sized> QueryHandler<Q> for alloc::sync::Arc<H> {
    fn handle(&self, query: Q) -> impl Future<Output = Result<Q::Output, Q::Error>> + Send {
        (**self).handle(query)
    }
}

impl<E: Event, H: EventHandler<E> + ?Sized> EventHandler<E> for alloc::sync::Arc<H> {
    fn handle(&self, event: &E) -> impl Future<Output = ()> + Send {
        (**self).handle(event)
    }
}
