//! Handlers and dispatch for a bus that stays on one thread — a single-threaded executor, or
//! wasm — so a handler's future need not be `Send` (it may hold an `Rc` or a `RefCell`
//! borrow across an `.await`). `#[handlers(local)]` implements these traits, and
//! `#[derive(Bus)]` with `#[bus(local)]` dispatches through them.

use core::future::Future;

use super::bus::{Route, enter, leave};
use super::delivery::SubscriberErrors;
use super::middleware::Pipeline;
use super::{
    Command, CommandHandler, DispatchError, Event, EventHandler, Handled, Query, QueryHandler,
};

/// Handles one command on a local bus. Every [`CommandHandler`] is one too.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle the command `{C}`",
    label = "registered as the handler of `{C}`",
    note = "mark a method `#[command]` in a `#[handlers(local)]` (or `#[handlers]`) impl block \
            on `{Self}`"
)]
pub trait LocalCommandHandler<C: Command> {
    /// Handles `command`.
    fn handle(&self, command: C) -> impl Future<Output = Result<C::Output, C::Error>>;
}

/// Answers one query on a local bus. Every [`QueryHandler`] is one too.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle the query `{Q}`",
    label = "registered as the handler of `{Q}`",
    note = "mark a method `#[query]` in a `#[handlers(local)]` (or `#[handlers]`) impl block \
            on `{Self}`"
)]
pub trait LocalQueryHandler<Q: Query> {
    /// Answers `query`.
    fn handle(&self, query: Q) -> impl Future<Output = Result<Q::Output, Q::Error>>;
}

/// Reacts to one event on a local bus. Every [`EventHandler`] is one too.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not subscribe to the event `{E}`",
    label = "this field is subscribed to `{E}`",
    note = "mark a method `#[event]` in a `#[handlers(local)]` (or `#[handlers]`) impl block \
            on `{Self}`"
)]
pub trait LocalEventHandler<E: Event> {
    /// Reacts to `event`.
    fn handle(&self, event: &E) -> impl Future<Output: Handled>;
}

impl<C: Command, H: CommandHandler<C>> LocalCommandHandler<C> for H {
    #[inline]
    fn handle(&self, command: C) -> impl Future<Output = Result<C::Output, C::Error>> {
        CommandHandler::handle(self, command)
    }
}

impl<Q: Query, H: QueryHandler<Q>> LocalQueryHandler<Q> for H {
    #[inline]
    fn handle(&self, query: Q) -> impl Future<Output = Result<Q::Output, Q::Error>> {
        QueryHandler::handle(self, query)
    }
}

impl<E: Event, H: EventHandler<E>> LocalEventHandler<E> for H {
    #[inline]
    fn handle(&self, event: &E) -> impl Future<Output: Handled> {
        EventHandler::handle(self, event)
    }
}

/// Delivers this event to the subscribers of local bus `B`, in order. Implemented by
/// `#[derive(Bus)]` with `#[bus(local)]`.
#[diagnostic::on_unimplemented(
    message = "`{B}` does not publish `{Self}`",
    label = "no field of `{B}` subscribes to `{Self}`",
    note = "add `#[subscribes({Self})]` to the fields that react to it, or \
            `#[bus(publishes({Self}))]` to the bus to publish it to no one"
)]
pub trait PublishLocal<B>: Event {
    /// Calls every subscriber, one after another in declaration order.
    ///
    /// # Errors
    ///
    /// Every subscriber that failed.
    fn deliver(bus: &B, event: &Self) -> impl Future<Output = Result<(), SubscriberErrors>>;
}

/// `bus.send(command)` on a local bus: the handler's future, inside the pipeline if there
/// is one.
///
/// # Errors
///
/// The handler's error, or the pipeline's rejection.
pub async fn send<B, C>(
    bus: &B,
    pipeline: Option<&Pipeline>,
    command: C,
) -> Result<C::Output, DispatchError<C::Error>>
where
    C: Command + Route<B>,
    C::Handler: LocalCommandHandler<C>,
{
    let entered = enter(pipeline, &command)?;
    let result = LocalCommandHandler::handle(C::handler(bus), command).await;
    leave(entered, result.is_ok());
    result.map_err(DispatchError::Handler)
}

/// `bus.ask(query)` on a local bus.
///
/// # Errors
///
/// The handler's error, or the pipeline's rejection.
pub async fn ask<B, Q>(
    bus: &B,
    pipeline: Option<&Pipeline>,
    query: Q,
) -> Result<Q::Output, DispatchError<Q::Error>>
where
    Q: Query + Route<B>,
    Q::Handler: LocalQueryHandler<Q>,
{
    let entered = enter(pipeline, &query)?;
    let result = LocalQueryHandler::handle(Q::handler(bus), query).await;
    leave(entered, result.is_ok());
    result.map_err(DispatchError::Handler)
}

/// `bus.publish(&event)` on a local bus: every subscriber, one after another.
///
/// # Errors
///
/// Every subscriber that failed, or the pipeline's rejection.
pub async fn publish<B, E>(
    bus: &B,
    pipeline: Option<&Pipeline>,
    event: &E,
) -> Result<(), DispatchError<SubscriberErrors>>
where
    E: PublishLocal<B>,
{
    let entered = enter(pipeline, event)?;
    let result = E::deliver(bus, event).await;
    leave(entered, result.is_ok());
    result.map_err(DispatchError::Handler)
}

/// `Self` handles `M` on a local bus, whichever kind of message `M` is; `#[derive(Bus)]`
/// with `#[bus(local)]` checks each field with it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle `{M}`",
    label = "this field is registered for `{M}`",
    note = "mark a method for `{M}` in a `#[handlers(local)]` (or `#[handlers]`) impl block on \
            `{Self}`"
)]
pub trait LocalHandlerOf<M, F> {}

impl<H: LocalCommandHandler<C>, C: Command> LocalHandlerOf<C, super::CommandFamily> for H {}
impl<H: LocalQueryHandler<Q>, Q: Query> LocalHandlerOf<Q, super::QueryFamily> for H {}
impl<H: LocalEventHandler<E>, E: Event> LocalHandlerOf<E, super::EventFamily> for H {}
