//! The runtime registry: handlers registered by value while the program runs (plugins,
//! configuration), looked up by message type. Built once, then shared by any number of
//! threads without locks.

use core::any::{Any, TypeId};
use core::future::Future;
use core::pin::Pin;

use std::sync::Arc;

use super::future::Dispatch;
use super::inline::ErasedFuture;
use super::middleware::{Outcome, Pipeline};
use super::{
    Behavior, BoxError, Command, CommandHandler, Concurrently, DispatchError, Event, EventHandler,
    Handled, Message, MessageKind, Next, Query, QueryHandler, RegistrationError,
    RegistrationErrors, Request, Response, SubscriberErrors,
};
use crate::type_map::{FrozenTypeMap, TypeMap};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Table = TypeMap<Box<dyn Any + Send + Sync>>;
/// A built registry's table: one slot per lookup, no probing.
type Frozen = FrozenTypeMap<Box<dyn Any + Send + Sync>>;

/// A handler of `R` with its type erased; the future borrows the handler, which lives in the
/// registry, so a dispatch clones nothing.
trait Erased<R: Request>: Send + Sync {
    fn call(&self, request: R) -> ErasedFuture<'_, Result<R::Output, R::Error>>;
}

struct CommandFn<H>(H);
struct QueryFn<H>(H);

impl<C: Command, H: CommandHandler<C>> Erased<C> for CommandFn<H> {
    fn call(&self, command: C) -> ErasedFuture<'_, Result<C::Output, C::Error>> {
        ErasedFuture::new(self.0.handle(command))
    }
}

impl<Q: Query, H: QueryHandler<Q>> Erased<Q> for QueryFn<H> {
    fn call(&self, query: Q) -> ErasedFuture<'_, Result<Q::Output, Q::Error>> {
        ErasedFuture::new(self.0.handle(query))
    }
}

/// A [`Behavior`] with its type erased.
trait ErasedBehavior<R: Request>: Send + Sync {
    fn handle<'a>(&'a self, request: R, next: &'a dyn ErasedNext<R>) -> BoxFuture<'a, Response<R>>;
}

impl<R: Request, B: Behavior<R>> ErasedBehavior<R> for B {
    fn handle<'a>(&'a self, request: R, next: &'a dyn ErasedNext<R>) -> BoxFuture<'a, Response<R>> {
        Box::pin(Behavior::handle(self, request, next))
    }
}

/// A [`Next`] with its type erased.
trait ErasedNext<R: Request>: Send + Sync {
    fn run_boxed(&self, request: R) -> BoxFuture<'_, Response<R>>;
}

impl<R: Request> Next<R> for dyn ErasedNext<R> + '_ {
    fn run(&self, request: R) -> impl Future<Output = Response<R>> + Send {
        self.run_boxed(request)
    }
}

type Behaviors<R> = Vec<Arc<dyn ErasedBehavior<R>>>;

/// A command's or query's handler and the behaviours around it, first outermost.
struct Slot<R: Request> {
    handler: Box<dyn Erased<R>>,
    behaviors: Behaviors<R>,
}

/// The rest of a slot's pipeline: the behaviours not yet entered, then the handler.
struct Rest<'a, R: Request> {
    behaviors: &'a [Arc<dyn ErasedBehavior<R>>],
    handler: &'a dyn Erased<R>,
}

impl<R: Request> ErasedNext<R> for Rest<'_, R> {
    fn run_boxed(&self, request: R) -> BoxFuture<'_, Response<R>> {
        let handler = self.handler;
        match self.behaviors.split_first() {
            None => {
                Box::pin(async move { handler.call(request).await.map_err(DispatchError::Handler) })
            }
            Some((first, behaviors)) => Box::pin(async move {
                let rest = Rest { behaviors, handler };
                first.handle(request, &rest).await
            }),
        }
    }
}

type RegistryDispatch<'a, O, E> =
    Dispatch<ErasedFuture<'a, Result<O, E>>, BoxFuture<'a, Result<O, DispatchError<E>>>>;

trait Subscribe<E>: Send + Sync {
    fn call<'a>(&'a self, event: &'a E) -> BoxFuture<'a, Result<(), BoxError>>;
}

impl<E: Event, H: EventHandler<E>> Subscribe<E> for H {
    fn call<'a>(&'a self, event: &'a E) -> BoxFuture<'a, Result<(), BoxError>> {
        let delivery = self.handle(event);
        Box::pin(async move { delivery.await.into_result() })
    }
}

/// A subscriber and its name (its type's), for failures.
type Subscriber<E> = (&'static str, Box<dyn Subscribe<E>>);

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
    /// Behaviours of requests whose handler is not registered yet.
    waiting: Table,
    pipeline: Pipeline,
    refused: Vec<RegistrationError>,
}

impl RegistryBuilder {
    /// Registers the one handler of command `C`. A second handler for `C` is refused (the
    /// first one stays, and every registration before and after it too) and reported by
    /// [`build`](RegistryBuilder::build).
    #[must_use]
    pub fn command<C: Command>(mut self, handler: impl CommandHandler<C> + 'static) -> Self {
        self.insert_once::<C>(Box::new(CommandFn(handler)), MessageKind::Command);
        self
    }

    /// Registers the one handler of query `Q`; a second one is refused as for
    /// [`command`](RegistryBuilder::command).
    #[must_use]
    pub fn query<Q: Query>(mut self, handler: impl QueryHandler<Q> + 'static) -> Self {
        self.insert_once::<Q>(Box::new(QueryFn(handler)), MessageKind::Query);
        self
    }

    /// Adds a [`Behavior`] around command or query `R`, inside the ones added before it;
    /// before or after `R`'s handler is registered.
    ///
    /// ```
    /// use patternkit::cqrs::{block_on, handlers, After, Command, Registry, Response};
    /// use std::sync::atomic::{AtomicU32, Ordering};
    ///
    /// #[derive(Command)]
    /// struct Ping;
    ///
    /// struct Pinger;
    ///
    /// #[handlers]
    /// impl Pinger {
    ///     #[command]
    ///     fn ping(&self, _: Ping) -> Result<(), std::convert::Infallible> {
    ///         Ok(())
    ///     }
    /// }
    ///
    /// static PINGS: AtomicU32 = AtomicU32::new(0);
    /// let registry = Registry::builder()
    ///     .behavior::<Ping>(After(|_: &Response<Ping>| {
    ///         PINGS.fetch_add(1, Ordering::Relaxed);
    ///     }))
    ///     .command::<Ping>(Pinger)
    ///     .build()?;
    /// block_on(registry.send(Ping))?;
    /// assert_eq!(PINGS.load(Ordering::Relaxed), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn behavior<R: Request>(mut self, behavior: impl Behavior<R> + 'static) -> Self {
        let behavior: Arc<dyn ErasedBehavior<R>> = Arc::new(behavior);
        // The slot of `R`'s handler, wherever `command` or `query` put it; the behaviour
        // waits for the handler otherwise.
        let slot = [&mut self.commands, &mut self.queries]
            .into_iter()
            .find_map(|table| table.get_mut(&TypeId::of::<R>()))
            .and_then(|slot| slot.downcast_mut::<Slot<R>>());
        if let Some(slot) = slot {
            slot.behaviors.push(behavior);
            return self;
        }
        let waiting = self
            .waiting
            .entry(TypeId::of::<R>())
            .or_insert_with(|| Box::new(Behaviors::<R>::new()));
        if let Some(list) = waiting.downcast_mut::<Behaviors<R>>() {
            list.push(behavior);
        }
        self
    }

    /// Adds a subscriber to event `E`, after the ones registered before it.
    #[must_use]
    pub fn event<E: Event>(mut self, handler: impl EventHandler<E> + 'static) -> Self {
        let subscriber: Subscriber<E> = (core::any::type_name_of_val(&handler), Box::new(handler));
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

impl RegistryBuilder {
    /// Registers `handler` as `R`'s, with the behaviours added for `R` so far, or records the
    /// refusal when `R` has one already.
    fn insert_once<R: Request>(&mut self, handler: Box<dyn Erased<R>>, kind: MessageKind) {
        let table = match kind {
            MessageKind::Command => &mut self.commands,
            _ => &mut self.queries,
        };
        match table.entry(TypeId::of::<R>()) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.refused.push(RegistrationError::Duplicate {
                    message: R::NAME,
                    kind: R::KIND,
                });
            }
            std::collections::hash_map::Entry::Vacant(vacant) => {
                let behaviors = self
                    .waiting
                    .remove(&TypeId::of::<R>())
                    .and_then(|list| list.downcast::<Behaviors<R>>().ok())
                    .map_or_else(Vec::new, |list| *list);
                vacant.insert(Box::new(Slot { handler, behaviors }));
            }
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
        self.dispatch(command, Self::slot::<C>(&self.commands))
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
        self.dispatch(query, Self::slot::<Q>(&self.queries))
    }

    /// Publishes an event to its subscribers, one after another in registration order
    /// (none is fine). Every subscriber runs, whether or not one before it failed.
    ///
    /// # Errors
    ///
    /// [`DispatchError::Handler`] with every subscriber that failed (named by its type), or
    /// [`DispatchError::Rejected`] when a middleware rejected the event.
    pub fn publish<'a, E: Event>(
        &'a self,
        event: &'a E,
    ) -> impl Future<Output = Result<(), DispatchError<SubscriberErrors>>> + Send + 'a {
        let subscribers = self.subscribers::<E>();
        self.deliver(event, async move {
            let mut errors = SubscriberErrors::new(E::NAME);
            for (name, subscriber) in subscribers {
                errors.record(name, subscriber.call(event).await);
            }
            errors.into_result()
        })
    }

    /// Publishes an event to all its subscribers at once, polled together on the awaiting
    /// task (nothing is spawned).
    ///
    /// # Errors
    ///
    /// As [`publish`](Registry::publish).
    pub fn publish_concurrently<'a, E: Event>(
        &'a self,
        event: &'a E,
    ) -> impl Future<Output = Result<(), DispatchError<SubscriberErrors>>> + Send + 'a {
        let deliveries = self
            .subscribers::<E>()
            .map(|(name, subscriber)| (*name, subscriber.call(event)))
            .collect();
        self.deliver(event, Concurrently::new(E::NAME, deliveries))
    }

    fn subscribers<E: Event>(&self) -> impl Iterator<Item = &Subscriber<E>> {
        self.events
            .get(&TypeId::of::<E>())
            .and_then(|list| list.downcast_ref::<Vec<Subscriber<E>>>())
            .into_iter()
            .flatten()
    }

    /// `delivery` inside the pipeline.
    async fn deliver<E: Event>(
        &self,
        event: &E,
        delivery: impl Future<Output = Result<(), SubscriberErrors>> + Send,
    ) -> Result<(), DispatchError<SubscriberErrors>> {
        {
            let entered = if self.pipeline.is_empty() {
                None
            } else {
                Some(
                    self.pipeline
                        .enter(event)
                        .map_err(|error| DispatchError::rejected(E::NAME, error))?,
                )
            };
            let result = delivery.await;
            if let Some(entered) = entered {
                entered.leave(if result.is_ok() {
                    Outcome::Handled
                } else {
                    Outcome::Failed
                });
            }
            result.map_err(DispatchError::Handler)
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

    #[inline]
    fn slot<R: Request>(table: &Frozen) -> Option<&Slot<R>> {
        let slot = table.get(&TypeId::of::<R>())?;
        // SAFETY: `insert_once::<R>` is the only writer of the command and query tables, and
        // puts a `Slot<R>` under `TypeId::of::<R>()`.
        Some(unsafe { crate::type_map::downcast_unchecked::<Slot<R>>(&**slot) })
    }

    /// Straight to the handler's future when there is no middleware and no behaviour;
    /// through a boxed future when there is, or when there is no handler.
    fn dispatch<'a, R: Request>(
        &'a self,
        message: R,
        slot: Option<&'a Slot<R>>,
    ) -> RegistryDispatch<'a, R::Output, R::Error> {
        let Some(slot) = slot else {
            return Dispatch::layered(Box::pin(core::future::ready(Err(
                DispatchError::no_handler(R::NAME, R::KIND),
            ))));
        };
        if self.pipeline.is_empty() && slot.behaviors.is_empty() {
            return Dispatch::direct(slot.handler.call(message));
        }
        Dispatch::layered(Box::pin(async move {
            let entered = self
                .pipeline
                .enter(&message)
                .map_err(|error| DispatchError::rejected(R::NAME, error))?;
            let rest = Rest {
                behaviors: &slot.behaviors,
                handler: &*slot.handler,
            };
            let result = rest.run_boxed(message).await;
            entered.leave(if result.is_ok() {
                Outcome::Handled
            } else {
                Outcome::Failed
            });
            result
        }))
    }
}
