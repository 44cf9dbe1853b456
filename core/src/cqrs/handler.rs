//! The three kinds of handler. They return futures, so a handler may be `async`; a plain
//! `fn` handler returns a ready future (`#[handlers]` writes these impls for either).

use core::future::Future;

use super::{BoxError, Command, Event, Handled, Query, Request};

/// Handles one command type. A command has exactly one handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle the command `{C}`",
    label = "registered as the handler of `{C}`",
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
    label = "registered as the handler of `{Q}`",
    note = "implement `QueryHandler<{Q}>` for `{Self}`, or mark a method `#[query]` in a \
            `#[patternkit::cqrs::handlers]` impl block"
)]
pub trait QueryHandler<Q: Query>: Send + Sync {
    /// Answers `query`.
    fn handle(&self, query: Q) -> impl Future<Output = Result<Q::Output, Q::Error>> + Send;
}

/// Reacts to one event type. An event has zero or more subscribers.
///
/// The future's output is `()`, or `Result<(), E>` for a subscriber that can fail (see
/// [`Handled`](super::Handled)); a failure is reported to the publisher with the others' in
/// [`SubscriberErrors`](super::SubscriberErrors), and never stops the other subscribers.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not subscribe to the event `{E}`",
    label = "this field is subscribed to `{E}`",
    note = "implement `EventHandler<{E}>` for `{Self}`, or mark a method `#[event]` in a \
            `#[patternkit::cqrs::handlers]` impl block"
)]
pub trait EventHandler<E: Event>: Send + Sync {
    /// Reacts to `event`.
    fn handle(&self, event: &E) -> impl Future<Output: Handled> + Send;
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
    fn handle(&self, event: &E) -> impl Future<Output: Handled> + Send {
        (**self).handle(event)
    }
}

/// What a `#[handlers]` method returns, checked against what its request declares, so a wrong
/// return type is one error at the method's signature that names the fix.
#[diagnostic::on_unimplemented(
    message = "a handler of `{R}` returns `{Expected}`, not `{Self}`",
    label = "a handler of `{R}` must return `{Expected}`",
    note = "the output and error come from the request's derive: `#[command(output = T, error = E)]` \
            or `#[query(output = T, error = E)]` (`()` and `Infallible` when not given); return \
            `Result<Output, Error>` with those, or change them to what the handler returns"
)]
pub trait Returns<R, Expected> {
    /// The value, which is the expected one.
    fn into_expected(self) -> Expected;
}

impl<R, T> Returns<R, T> for T {
    #[inline]
    fn into_expected(self) -> T {
        self
    }
}

/// `value` as the result of request `R`; see [`Returns`].
///
/// # Errors
///
/// The handler's error, as it returned it.
#[inline]
pub fn returns<R, T>(value: T) -> Result<R::Output, R::Error>
where
    R: Request,
    T: Returns<R, Result<R::Output, R::Error>>,
{
    value.into_expected()
}

/// What a `#[handlers]` event method returned, as a subscriber's result; the bound names what
/// an event handler may return.
///
/// # Errors
///
/// The subscriber's error, boxed.
#[inline]
pub fn handled<T: Handled>(value: T) -> Result<(), BoxError> {
    value.into_result()
}

/// A message whose `#[handlers]` method is marked `#[command]`: a command.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a command, and its handler method is marked `#[command]`",
    label = "marked as the handler of a command",
    note = "a query's handler method is marked `#[query]`, an event's `#[event]`; if `{Self}` is \
            a command, derive `patternkit::cqrs::Command` on it"
)]
pub trait MarkedCommand {}

impl<C: Command> MarkedCommand for C {}

/// A message whose `#[handlers]` method is marked `#[query]`: a query.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query, and its handler method is marked `#[query]`",
    label = "marked as the handler of a query",
    note = "a command's handler method is marked `#[command]`, an event's `#[event]`; if \
            `{Self}` is a query, derive `patternkit::cqrs::Query` on it"
)]
pub trait MarkedQuery {}

impl<Q: Query> MarkedQuery for Q {}

/// Checks, where a `#[command]` method is marked, that its message is a command. Never
/// called: naming it is the check.
pub const fn marked_command<C: MarkedCommand>() {}

/// Checks, where a `#[query]` method is marked, that its message is a query. Never called:
/// naming it is the check.
pub const fn marked_query<Q: MarkedQuery>() {}
