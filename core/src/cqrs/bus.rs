//! The compile-time bus: `#[derive(Bus)]` on a struct whose fields are handlers routes each
//! message type to one field, so `bus.send(cmd)` is a direct call of that field's handler,
//! and a message without a handler does not compile.

use alloc::boxed::Box;
use core::future::Future;

use super::future::Dispatch;
use super::middleware::{Entered, Outcome, Pipeline};
use super::{
    Command, CommandHandler, DispatchError, Event, EventHandler, Message, Query, QueryHandler,
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
    /// Calls every subscriber, in the order the fields are declared.
    fn deliver(bus: &B, event: &Self) -> impl Future<Output = ()> + Send;
}

/// Sending, asking and publishing on a bus made by `#[derive(Bus)]`.
///
/// Every method checks at compile time that the bus handles the message. Without middleware
/// the dispatch is a direct call of the handler; with a `#[middleware]` field, the pipeline
/// runs around it.
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
            None => Dispatch::direct(CommandHandler::handle(C::handler(self), command)),
            Some(pipeline) => Dispatch::layered(Box::pin(async move {
                let entered = enter(Some(pipeline), &command)?;
                let result = CommandHandler::handle(C::handler(self), command).await;
                leave(entered, result.is_ok());
                result.map_err(DispatchError::Handler)
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
            None => Dispatch::direct(QueryHandler::handle(Q::handler(self), query)),
            Some(pipeline) => Dispatch::layered(Box::pin(async move {
                let entered = enter(Some(pipeline), &query)?;
                let result = QueryHandler::handle(Q::handler(self), query).await;
                leave(entered, result.is_ok());
                result.map_err(DispatchError::Handler)
            })),
        }
    }

    /// Publishes an event to every subscriber, in declaration order. A middleware rejection
    /// means no subscriber sees it.
    fn publish<E>(&self, event: &E) -> impl Future<Output = ()> + Send
    where
        E: Event + Publish<Self>,
    {
        async move {
            let Ok(entered) = enter::<E, core::convert::Infallible>(self.middleware(), event)
            else {
                return;
            };
            E::deliver(self, event).await;
            leave(entered, true);
        }
    }
}

fn enter<'p, M: Message, E>(
    pipeline: Option<&'p Pipeline>,
    message: &M,
) -> Result<Option<Entered<'p>>, DispatchError<E>> {
    match pipeline {
        None => Ok(None),
        Some(pipeline) => {
            pipeline
                .enter(message)
                .map(Some)
                .map_err(|error| DispatchError::Rejected {
                    message: M::NAME,
                    error,
                })
        }
    }
}

fn leave(entered: Option<Entered<'_>>, ok: bool) {
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
            `EventHandler`) on `{Self}`, or mark a method for it in a `#[handlers]` impl block"
)]
pub trait HandlerOf<M, F> {}

impl<H: CommandHandler<C>, C: Command> HandlerOf<C, CommandFamily> for H {}
impl<H: QueryHandler<Q>, Q: Query> HandlerOf<Q, QueryFamily> for H {}
impl<H: EventHandler<E>, E: Event> HandlerOf<E, EventFamily> for H {}
