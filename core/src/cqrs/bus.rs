//! The compile-time bus: `#[derive(Bus)]` on a struct whose fields are handlers routes each
//! message type to one field, so `bus.send(cmd)` is a direct call of that field's handler,
//! and a message without a handler does not compile.

use alloc::boxed::Box;
use core::future::Future;

use super::behavior::{Next, Response};
use super::delivery::{Concurrently, SubscriberErrors};
use super::future::Dispatch;
use super::middleware::{Entered, Outcome, Pipeline};
use super::{
    Command, CommandHandler, DispatchError, Event, EventHandler, Message, Query, QueryHandler,
    Request,
};

/// Which field of bus `B` handles this message. Implemented by `#[derive(Bus)]` for every
/// type in a `#[handles(...)]` list.
///
/// It is a trait of the message, not of the bus, so that a message the bus does not handle is
/// reported as such rather than guessed to be one that it does.
#[diagnostic::on_unimplemented(
    message = "`{B}` has no handler for `{Self}`",
    label = "`{Self}` is not registered on `{B}`",
    note = "register one: add `{Self}` to the `#[handles(...)]` list of the field of `{B}` that handles it"
)]
pub trait Route<B>: Message {
    /// The handling field's type.
    type Handler;

    /// The handling field.
    fn handler(bus: &B) -> &Self::Handler;

    /// Whether [`around`](Route::around) wraps the handler in behaviours; when not, a bus
    /// without middleware calls the handler directly.
    const BEHAVIORS: bool = false;

    /// The bus's behaviours for this message around `next` (the handler): by default none.
    fn around<N: Next<Self>>(
        bus: &B,
        request: Self,
        next: N,
    ) -> impl Future<Output = Response<Self>> + Send
    where
        Self: Request + Sized,
    {
        let _ = bus;
        async move { next.run(request).await }
    }
}

/// The handler of command `C` on bus `B`, as the innermost [`Next`] of its behaviours.
pub struct CommandNext<'a, B>(pub &'a B);

/// The handler of query `Q` on bus `B`, as the innermost [`Next`] of its behaviours.
pub struct QueryNext<'a, B>(pub &'a B);

impl<C, B> Next<C> for CommandNext<'_, B>
where
    C: Command + Route<B>,
    C::Handler: CommandHandler<C>,
    B: Sync,
{
    #[inline]
    fn run(&self, request: C) -> impl Future<Output = Response<C>> + Send {
        let handler = C::handler(self.0);
        async move {
            CommandHandler::handle(handler, request)
                .await
                .map_err(DispatchError::Handler)
        }
    }
}

impl<Q, B> Next<Q> for QueryNext<'_, B>
where
    Q: Query + Route<B>,
    Q::Handler: QueryHandler<Q>,
    B: Sync,
{
    #[inline]
    fn run(&self, request: Q) -> impl Future<Output = Response<Q>> + Send {
        let handler = Q::handler(self.0);
        async move {
            QueryHandler::handle(handler, request)
                .await
                .map_err(DispatchError::Handler)
        }
    }
}

/// Delivers this event to the subscribers of bus `B`, in order. Implemented by
/// `#[derive(Bus)]` for every type in a `#[subscribes(...)]` list, and for
/// `#[bus(publishes(...))]` (no subscribers).
#[diagnostic::on_unimplemented(
    message = "`{B}` does not publish `{Self}`",
    label = "no field of `{B}` subscribes to `{Self}`",
    note = "add `#[subscribes({Self})]` to the fields that react to it, or \
            `#[bus(publishes({Self}))]` to the bus to publish it to no one"
)]
pub trait Publish<B>: Event {
    /// Calls every subscriber, one after another in the order the fields are declared; one
    /// that fails does not stop the others.
    ///
    /// # Errors
    ///
    /// Every subscriber that failed.
    fn deliver(bus: &B, event: &Self) -> impl Future<Output = Result<(), SubscriberErrors>> + Send;

    /// Calls every subscriber at once, on the awaiting task; collects failures as
    /// [`deliver`](Publish::deliver) does.
    ///
    /// # Errors
    ///
    /// Every subscriber that failed.
    fn deliver_concurrently<'a>(bus: &'a B, event: &'a Self) -> Concurrently<'a>;
}

/// Sending, asking and publishing on a bus made by `#[derive(Bus)]`.
///
/// Every method checks at compile time that the bus handles the message. Without middleware
/// or behaviours the dispatch is a direct call of the handler; with a `#[middleware]` field,
/// the pipeline runs around it, and a message's [`Behavior`](super::Behavior)s around its
/// handler, inside the pipeline.
pub trait Bus: Sync + Sized {
    /// The pipeline around every dispatch, if the bus has one.
    fn middleware(&self) -> Option<&Pipeline> {
        None
    }

    /// Sends a command to its one handler.
    ///
    /// # Errors
    ///
    /// [`DispatchError::Handler`] with the handler's error, or [`DispatchError::Rejected`]
    /// when a middleware rejected the command.
    fn send<C>(
        &self,
        command: C,
    ) -> impl Future<Output = Result<C::Output, DispatchError<C::Error>>> + Send
    where
        C: Command + Route<Self>,
        <C as Route<Self>>::Handler: CommandHandler<C>,
    {
        match self.middleware() {
            None if !C::BEHAVIORS => {
                Dispatch::direct(CommandHandler::handle(C::handler(self), command))
            }
            pipeline => Dispatch::layered(Box::pin(async move {
                let entered = enter(pipeline, &command)?;
                let result = C::around(self, command, CommandNext(self)).await;
                leave(entered, result.is_ok());
                result
            })),
        }
    }

    /// Asks a query of its one handler.
    ///
    /// # Errors
    ///
    /// As [`Bus::send`].
    fn ask<Q>(
        &self,
        query: Q,
    ) -> impl Future<Output = Result<Q::Output, DispatchError<Q::Error>>> + Send
    where
        Q: Query + Route<Self>,
        <Q as Route<Self>>::Handler: QueryHandler<Q>,
    {
        match self.middleware() {
            None if !Q::BEHAVIORS => {
                Dispatch::direct(QueryHandler::handle(Q::handler(self), query))
            }
            pipeline => Dispatch::layered(Box::pin(async move {
                let entered = enter(pipeline, &query)?;
                let result = Q::around(self, query, QueryNext(self)).await;
                leave(entered, result.is_ok());
                result
            })),
        }
    }

    /// Publishes an event to every subscriber, one after another in declaration order.
    /// Every subscriber runs, whether or not one before it failed.
    ///
    /// # Errors
    ///
    /// [`DispatchError::Handler`] with every subscriber that failed, or
    /// [`DispatchError::Rejected`] when a middleware rejected the event (no subscriber saw it).
    fn publish<E>(
        &self,
        event: &E,
    ) -> impl Future<Output = Result<(), DispatchError<SubscriberErrors>>> + Send
    where
        E: Event + Publish<Self>,
    {
        async move {
            let entered = enter(self.middleware(), event)?;
            let result = E::deliver(self, event).await;
            leave(entered, result.is_ok());
            result.map_err(DispatchError::Handler)
        }
    }

    /// Publishes an event to every subscriber at once: their futures are polled together on
    /// the awaiting task, so a subscriber that waits (on I/O, a timer) lets the others go on.
    /// Nothing is spawned; any executor runs it.
    ///
    /// # Errors
    ///
    /// As [`publish`](Bus::publish).
    fn publish_concurrently<E>(
        &self,
        event: &E,
    ) -> impl Future<Output = Result<(), DispatchError<SubscriberErrors>>> + Send
    where
        E: Event + Publish<Self>,
    {
        async move {
            let entered = enter(self.middleware(), event)?;
            let result = E::deliver_concurrently(self, event).await;
            leave(entered, result.is_ok());
            result.map_err(DispatchError::Handler)
        }
    }
}

/// Runs the pipeline's `before`s, if there is a pipeline; a rejection as a `DispatchError`.
pub(super) fn enter<'p, M: Message, E>(
    pipeline: Option<&'p Pipeline>,
    message: &M,
) -> Result<Option<Entered<'p>>, DispatchError<E>> {
    match pipeline {
        None => Ok(None),
        Some(pipeline) => pipeline
            .enter(message)
            .map(Some)
            .map_err(|error| DispatchError::rejected(M::NAME, error)),
    }
}

/// Runs the `after`s of what [`enter`] entered.
pub(super) fn leave(entered: Option<Entered<'_>>, ok: bool) {
    if let Some(entered) = entered {
        entered.leave(if ok {
            Outcome::Handled
        } else {
            Outcome::Failed
        });
    }
}

/// The kind of handler a message needs, as a type, so that one bound — [`HandlerOf`] —
/// covers commands, queries and events. The message derives set it.
pub trait Family {}

/// A command's [`Family`].
pub struct CommandFamily;
/// A query's [`Family`].
pub struct QueryFamily;
/// An event's [`Family`].
pub struct EventFamily;

/// The families a `#[handles(..)]` field may claim: commands and queries, each handled by
/// exactly one field. An event is published to all its subscribers instead.
#[diagnostic::on_unimplemented(
    message = "an event is not handled by one field: it is published to its subscribers",
    label = "this field claims to handle an event",
    note = "move it to `#[subscribes(..)]` on every field that reacts to it"
)]
pub trait HandledFamily: Family {}

impl HandledFamily for CommandFamily {}
impl HandledFamily for QueryFamily {}

impl Family for CommandFamily {}
impl Family for QueryFamily {}
impl Family for EventFamily {}

/// `Self` handles `M`, whichever kind of message `M` is: implemented for every
/// [`CommandHandler`], [`QueryHandler`] and [`EventHandler`]. `#[derive(Bus)]` checks each
/// field against the messages it claims with it, and generic code can use it as a bound.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{Command, CommandHandler, HandlerOf, Message};
///
/// #[derive(Command)]
/// struct Ping;
///
/// struct Pinger;
///
/// impl CommandHandler<Ping> for Pinger {
///     async fn handle(&self, _: Ping) -> Result<(), std::convert::Infallible> {
///         Ok(())
///     }
/// }
///
/// fn handles<M: Message, H: HandlerOf<M, M::Family>>() {}
/// handles::<Ping, Pinger>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not handle `{M}`",
    label = "this field is registered for `{M}`",
    note = "implement the handler trait for `{M}` (`CommandHandler`, `QueryHandler` or \
            `EventHandler`) on `{Self}`, or mark a method for it in a `#[handlers]` impl block",
    note = "handlers from a `#[handlers(local)]` block, whose futures need not be `Send`, serve \
            only a bus marked `#[bus(local)]`"
)]
pub trait HandlerOf<M, F> {}

impl<H: CommandHandler<C>, C: Command> HandlerOf<C, CommandFamily> for H {}
impl<H: QueryHandler<Q>, Q: Query> HandlerOf<Q, QueryFamily> for H {}
impl<H: EventHandler<E>, E: Event> HandlerOf<E, EventFamily> for H {}
