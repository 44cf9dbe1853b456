//! The runtime registry: handlers registered by value while the program runs (plugins,
//! configuration), looked up by message type. Built once, then shared by any number of
//! threads without locks.

use core::any::{Any, TypeId};
use core::future::Future;
use core::pin::Pin;
use std::collections::HashMap;
use std::sync::Arc;

use super::middleware::{Outcome, Pipeline};
use super::{
    Command, CommandHandler, DispatchError, Event, EventHandler, Message, MessageKind, Query,
    QueryHandler, RegistrationError,
};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Handle<M, T> = Arc<dyn Fn(M) -> BoxFuture<'static, T> + Send + Sync>;
type Subscriber<E> = Arc<dyn for<'e> Fn(&'e E) -> BoxFuture<'e, ()> + Send + Sync>;
type Table = HashMap<TypeId, Box<dyn Any + Send + Sync>>;

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
/// let registry = Registry::builder().command::<Double>(Doubler)?.build();
/// assert_eq!(block_on(registry.send(Double(21))), Ok(42));
/// # Ok::<(), patternkit::cqrs::RegistrationError>(())
/// ```
#[derive(Default)]
pub struct RegistryBuilder {
    commands: Table,
    queries: Table,
    events: Table,
    pipeline: Pipeline,
}

impl RegistryBuilder {
    /// Registers the one handler of command `C`.
    ///
    /// # Errors
    ///
    /// [`RegistrationError::Duplicate`] when `C` has a handler already; the first one stays.
    pub fn command<C: Command>(
        mut self,
        handler: impl CommandHandler<C> + 'static,
    ) -> Result<Self, RegistrationError> {
        let handler = Arc::new(handler);
        let handle: Handle<C, Result<C::Output, C::Error>> = Arc::new(move |command| {
            let handler = Arc::clone(&handler);
            Box::pin(async move { handler.handle(command).await })
        });
        insert_once::<C>(&mut self.commands, Box::new(handle))?;
        Ok(self)
    }

    /// Registers the one handler of query `Q`.
    ///
    /// # Errors
    ///
    /// [`RegistrationError::Duplicate`] when `Q` has a handler already; the first one stays.
    pub fn query<Q: Query>(
        mut self,
        handler: impl QueryHandler<Q> + 'static,
    ) -> Result<Self, RegistrationError> {
        let handler = Arc::new(handler);
        let handle: Handle<Q, Result<Q::Output, Q::Error>> = Arc::new(move |query| {
            let handler = Arc::clone(&handler);
            Box::pin(async move { handler.handle(query).await })
        });
        insert_once::<Q>(&mut self.queries, Box::new(handle))?;
        Ok(self)
    }

    /// Adds a subscriber to event `E`, after the ones registered before it.
    #[must_use]
    pub fn event<E: Event>(mut self, handler: impl EventHandler<E> + 'static) -> Self {
        let handler = Arc::new(handler);
        let subscriber: Subscriber<E> = Arc::new(move |event| {
            let handler = Arc::clone(&handler);
            Box::pin(async move { handler.handle(event).await })
        });
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
    #[must_use]
    pub fn build(self) -> Registry {
        Registry {
            commands: self.commands,
            queries: self.queries,
            events: self.events,
            pipeline: self.pipeline,
        }
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
    commands: Table,
    queries: Table,
    events: Table,
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
                subscriber(event).await;
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

    fn handle<M: Message, T: 'static>(table: &Table) -> Option<Handle<M, T>> {
        table
            .get(&TypeId::of::<M>())
            .and_then(|handle| handle.downcast_ref::<Handle<M, T>>())
            .cloned()
    }

    async fn dispatch<M: Message, O, E>(
        &self,
        message: M,
        handle: Option<Handle<M, Result<O, E>>>,
    ) -> Result<O, DispatchError<E>>
    where
        O: Send + 'static,
        E: Send + 'static,
    {
        let Some(handle) = handle else {
            return Err(DispatchError::NoHandler {
                message: M::NAME,
                kind: M::KIND,
            });
        };
        let entered = if self.pipeline.is_empty() {
            None
        } else {
            let entered =
                self.pipeline
                    .enter(&message)
                    .map_err(|error| DispatchError::Rejected {
                        message: M::NAME,
                        error,
                    })?;
            Some(entered)
        };
        let result = handle(message).await;
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
