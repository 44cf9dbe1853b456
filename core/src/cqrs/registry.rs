//! The runtime registry: handlers registered by value while the program runs (plugins,
//! configuration), looked up by message type. Built once, then shared by any number of
//! threads without locks.

use core::any::{Any, TypeId};
use core::future::Future;
use core::pin::Pin;

use super::future::Dispatch;
use super::middleware::{Outcome, Pipeline};
use super::{
    Command, CommandHandler, DispatchError, Event, EventHandler, Message, MessageKind, Query,
    QueryHandler, RegistrationError, RegistrationErrors,
};
use crate::type_map::{FrozenTypeMap, TypeMap};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Table = TypeMap<Box<dyn Any + Send + Sync>>;
/// A built registry's table: one slot per lookup, no probing.
type Frozen = FrozenTypeMap<Box<dyn Any + Send + Sync>>;

/// A handler of `M` with its type erased; the future borrows the handler, which lives in the
/// registry, so a dispatch clones nothing.
trait Erased<M, T>: Send + Sync {
    fn call(&self, message: M) -> BoxFuture<'_, T>;
}

struct CommandFn<H>(H);
struct QueryFn<H>(H);

impl<C: Command, H: CommandHandler<C>> Erased<C, Result<C::Output, C::Error>> for CommandFn<H> {
    fn call(&self, command: C) -> BoxFuture<'_, Result<C::Output, C::Error>> {
        Box::pin(self.0.handle(command))
    }
}

impl<Q: Query, H: QueryHandler<Q>> Erased<Q, Result<Q::Output, Q::Error>> for QueryFn<H> {
    fn call(&self, query: Q) -> BoxFuture<'_, Result<Q::Output, Q::Error>> {
        Box::pin(self.0.handle(query))
    }
}

type Handle<M, T> = Box<dyn Erased<M, T>>;

type RegistryDispatch<'a, O, E> =
    Dispatch<BoxFuture<'a, Result<O, E>>, BoxFuture<'a, Result<O, DispatchError<E>>>>;

trait Subscribe<E>: Send + Sync {
    fn call<'a>(&'a self, event: &'a E) -> BoxFuture<'a, ()>;
}

impl<E: Event, H: EventHandler<E>> Subscribe<E> for H {
    fn call<'a>(&'a self, event: &'a E) -> BoxFuture<'a, ()> {
        Box::pin(self.handle(event))
    }
}

type Subscriber<E> = Box<dyn Subscribe<E>>;

/// Collects handlers; [`RegistryBuilder::build`] makes the [`Registry`].
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{block_on, handlers, Command, Registry, DispatchError};
///
/// #[derive(Command)]
/// #[command(output = u32)]
/// struct Double(u32);
///
/// struct Doubler;
///
/// #[handlers]
/// impl Doubler {
///     #[command]
///     fn double(&self, Double(n): Double) -> Result<u32, core::convert::Infallible> {
///         Ok(n * 2)
///     }
/// }
///
/// let registry = Registry::builder().command::<Double>(Doubler).build()?;
/// assert_eq!(block_on(registry.send(Double(21))), Ok(42));
/// # Ok::<(), patternkit::cqrs::RegistrationErrors>(())
/// ```
#[derive(Default)]
pub struct RegistryBuilder {
    commands: Table,
    queries: Table,
    events: Table,
    pipeline: Pipeline,
    refused: Vec<RegistrationError>,
}

impl RegistryBuilder {
    /// Registers the one handler of command `C`. A second handler for `C` is refused (the
    /// first one stays, and every registration before and after it too) and reported by
    /// [`build`](RegistryBuilder::build).
    #[must_use]
    pub fn command<C: Command>(mut self, handler: impl CommandHandler<C> + 'static) -> Self {
        let handle: Handle<C, Result<C::Output, C::Error>> = Box::new(CommandFn(handler));
        if let Err(error) = insert_once::<C>(&mut self.commands, Box::new(handle)) {
            self.refused.push(error);
        }
        self
    }

    /// Registers the one handler of query `Q`; a second one is refused as for
    /// [`command`](RegistryBuilder::command).
    #[must_use]
    pub fn query<Q: Query>(mut self, handler: impl QueryHandler<Q> + 'static) -> Self {
        let handle: Handle<Q, Result<Q::Output, Q::Error>> = Box::new(QueryFn(handler));
        if let Err(error) = insert_once::<Q>(&mut self.queries, Box::new(handle)) {
            self.refused.push(error);
        }
        self
    }

    /// Adds a subscriber to event `E`, after the ones registered before it.
    #[must_use]
    pub fn event<E: Event>(mut self, handler: impl EventHandler<E> + 'static) -> Self {
        let subscriber: Subscriber<E> = Box::new(handler);
        let list = self
            .events
            .entry(TypeId::of::<E>())
            .or_insert_with(|| Box::new(Vec::<Subscriber<E>>::new()));
        if let Some(list) = list.downcast_mut::<Vec<Subscriber<E>>>() {
            list.push(subscriber);
        }
        self
    }

    /// The pipeline around every dispatch.
    #[must_use]
    pub fn middleware(mut self, pipeline: Pipeline) -> Self {
        self.pipeline = pipeline;
        self
    }

    /// The registry, ready to be shared.
    ///
    /// # Errors
    ///
    /// [`RegistrationErrors`] listing every command or query given a second handler.
    pub fn build(self) -> Result<Registry, RegistrationErrors> {
        if !self.refused.is_empty() {
            return Err(RegistrationErrors(self.refused));
        }
        Ok(Registry {
            commands: FrozenTypeMap::new(self.commands),
            queries: FrozenTypeMap::new(self.queries),
            events: FrozenTypeMap::new(self.events),
            pipeline: self.pipeline,
        })
    }
}

fn insert_once<M: Message>(
    table: &mut Table,
    handle: Box<dyn Any + Send + Sync>,
) -> Result<(), RegistrationError> {
    match table.entry(TypeId::of::<M>()) {
        std::collections::hash_map::Entry::Occupied(_) => Err(RegistrationError::Duplicate {
            message: M::NAME,
            kind: M::KIND,
        }),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(handle);
            Ok(())
        }
    }
}

/// Handlers looked up by message type at run time. `Send + Sync`: share it (in an `Arc`)
/// between threads and tasks.
pub struct Registry {
    commands: Frozen,
    queries: Frozen,
    events: Frozen,
    pipeline: Pipeline,
}

impl Registry {
    /// An empty builder.
    #[must_use]
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    /// Sends a command to its handler.
    ///
    /// # Errors
    ///
    /// [`DispatchError::NoHandler`] when none is registered, [`DispatchError::Rejected`] when a
    /// middleware rejected it, [`DispatchError::Handler`] with the handler's error.
    pub fn send<C: Command>(
        &self,
        command: C,
    ) -> impl Future<Output = Result<C::Output, DispatchError<C::Error>>> + Send + '_ {
        let handle = Self::handle::<C, Result<C::Output, C::Error>>(&self.commands);
        self.dispatch(command, handle)
    }

    /// Asks a query of its handler.
    ///
    /// # Errors
    ///
    /// As [`Registry::send`].
    pub fn ask<Q: Query>(
        &self,
        query: Q,
    ) -> impl Future<Output = Result<Q::Output, DispatchError<Q::Error>>> + Send + '_ {
        let handle = Self::handle::<Q, Result<Q::Output, Q::Error>>(&self.queries);
        self.dispatch(query, handle)
    }

    /// Publishes an event to its subscribers, in registration order (none is fine).
    pub fn publish<'a, E: Event>(&'a self, event: &'a E) -> impl Future<Output = ()> + Send + 'a {
        let subscribers = self
            .events
            .get(&TypeId::of::<E>())
            .and_then(|list| list.downcast_ref::<Vec<Subscriber<E>>>());
        async move {
            let entered = if self.pipeline.is_empty() {
                None
            } else {
                match self.pipeline.enter(event) {
                    Ok(entered) => Some(entered),
                    Err(_) => return,
                }
            };
            for subscriber in subscribers.into_iter().flatten() {
                subscriber.call(event).await;
            }
            if let Some(entered) = entered {
                entered.leave(Outcome::Handled);
            }
        }
    }

    /// Whether a handler is registered for `M` (for events: at least one subscriber).
    #[must_use]
    pub fn handles<M: Message>(&self) -> bool {
        let table = match M::KIND {
            MessageKind::Command => &self.commands,
            MessageKind::Query => &self.queries,
            MessageKind::Event => &self.events,
        };
        table.contains_key(&TypeId::of::<M>())
    }

    fn handle<M: Message, T: 'static>(table: &Frozen) -> Option<&Handle<M, T>> {
        table
            .get(&TypeId::of::<M>())
            .and_then(|handle| handle.downcast_ref::<Handle<M, T>>())
    }

    /// Straight to the handler's future when there is no middleware; through a boxed
    /// future when there is, or when there is no handler.
    fn dispatch<'a, M: Message, O, E>(
        &'a self,
        message: M,
        handle: Option<&'a Handle<M, Result<O, E>>>,
    ) -> RegistryDispatch<'a, O, E>
    where
        O: Send + 'static,
        E: Send + 'static,
    {
        let Some(handle) = handle else {
            return Dispatch::layered(Box::pin(core::future::ready(Err(
                DispatchError::NoHandler {
                    message: M::NAME,
                    kind: M::KIND,
                },
            ))));
        };
        if self.pipeline.is_empty() {
            return Dispatch::direct(handle.call(message));
        }
        Dispatch::layered(Box::pin(async move {
            let entered =
                self.pipeline
                    .enter(&message)
                    .map_err(|error| DispatchError::Rejected {
                        message: M::NAME,
                        error,
                    })?;
            let result = handle.call(message).await;
            entered.leave(if result.is_ok() {
                Outcome::Handled
            } else {
                Outcome::Failed
            });
            result.map_err(DispatchError::Handler)
        }))
    }
}
