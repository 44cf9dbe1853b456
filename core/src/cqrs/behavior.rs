//! Behaviours: typed layers around the dispatch of one command or query that see the message
//! and the result and decide whether, and how often, the rest of the pipeline runs — the
//! pipeline behaviours of `MediatR`, or tower's layers, for the two buses.

use core::future::Future;

use super::{DispatchError, Request, ValidationError};

/// What a dispatch of `R` returns: its output, or why there is none.
pub type Response<R> = Result<<R as Request>::Output, DispatchError<<R as Request>::Error>>;

/// The rest of the pipeline, given to a [`Behavior`]: the behaviours inside it and then the
/// handler. Call [`run`](Next::run) once to go on, not at all to answer by itself
/// (a cache, a refusal), or again to retry.
pub trait Next<R: Request>: Send + Sync {
    /// Runs the rest of the pipeline with `request`.
    fn run(&self, request: R) -> impl Future<Output = Response<R>> + Send;
}

impl<R: Request, N: Next<R> + ?Sized> Next<R> for &N {
    #[inline]
    fn run(&self, request: R) -> impl Future<Output = Response<R>> + Send {
        (**self).run(request)
    }
}

/// A layer around the dispatch of request `R`, with the request, the response and the rest of
/// the pipeline in hand.
///
/// On a `#[derive(Bus)]`, a field marked `#[behavior(R, ..)]` wraps the listed commands and
/// queries, and a bare `#[behavior]` every command and query of the bus; behaviours nest in
/// field order, the first outermost. On a [`Registry`](super::Registry),
/// [`RegistryBuilder::behavior`](super::RegistryBuilder::behavior) adds one for `R`. Write it
/// for one request type, or for every `R` that has what it needs (`R: Clone` to retry).
///
/// [`Before`], [`After`] and [`Recover`] make one from a function: a pre-processor, a
/// post-processor and an exception handler.
///
/// # Example
///
/// A retry around every request that can be cloned, and a cache in front of one query:
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Mutex;
/// use patternkit::cqrs::{block_on, handlers, Behavior, Bus, Next, Query, Request, Response};
///
/// #[derive(Query, Clone)]
/// #[query(output = u64, error = String)]
/// struct Price(&'static str);
///
/// #[derive(Default)]
/// struct Catalog { calls: Mutex<u32> }
///
/// #[handlers]
/// impl Catalog {
///     #[query]
///     fn price(&self, Price(item): Price) -> Result<u64, String> {
///         let mut calls = self.calls.lock().unwrap();
///         *calls += 1;
///         if *calls == 1 { Err("timeout".into()) } else { Ok(item.len() as u64) }
///     }
/// }
///
/// struct Retry(u32);
///
/// impl<R: Request + Clone> Behavior<R> for Retry {
///     async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
///         let mut tries = 1;
///         loop {
///             match next.run(request.clone()).await {
///                 Err(error) if tries < self.0 && error.is_handler_error() => tries += 1,
///                 response => return response,
///             }
///         }
///     }
/// }
///
/// #[derive(Default)]
/// struct Cache(Mutex<HashMap<&'static str, u64>>);
///
/// impl Behavior<Price> for Cache {
///     async fn handle<N: Next<Price>>(&self, request: Price, next: N) -> Response<Price> {
///         if let Some(price) = self.0.lock().unwrap().get(request.0) {
///             return Ok(*price); // answered here: the handler is not called
///         }
///         let item = request.0;
///         let price = next.run(request).await?;
///         self.0.lock().unwrap().insert(item, price);
///         Ok(price)
///     }
/// }
///
/// #[derive(Bus)]
/// struct Shop {
///     #[behavior]
///     retry: Retry,
///     #[behavior(Price)]
///     cache: Cache,
///     #[handles(Price)]
///     catalog: Catalog,
/// }
///
/// let shop = Shop { retry: Retry(3), cache: Cache::default(), catalog: Catalog::default() };
/// assert_eq!(block_on(shop.ask(Price("tea"))), Ok(3)); // failed once, retried
/// assert_eq!(block_on(shop.ask(Price("tea"))), Ok(3)); // from the cache
/// assert_eq!(*shop.catalog.calls.lock().unwrap(), 2);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a behaviour around `{R}`",
    label = "this field wraps `{R}`",
    note = "implement `Behavior<{R}>` for `{Self}`, or list only the requests it is written for: \
            `#[behavior(SomeCommand, ..)]`"
)]
pub trait Behavior<R: Request>: Send + Sync {
    /// Handles `request`, calling `next` to go on.
    ///
    /// # Errors
    ///
    /// What `next` returned, or the behaviour's own refusal
    /// ([`DispatchError::Rejected`] is the usual one).
    fn handle<N: Next<R>>(&self, request: R, next: N) -> impl Future<Output = Response<R>> + Send;
}

impl<R: Request, B: Behavior<R> + ?Sized> Behavior<R> for alloc::sync::Arc<B> {
    #[inline]
    fn handle<N: Next<R>>(&self, request: R, next: N) -> impl Future<Output = Response<R>> + Send {
        (**self).handle(request, next)
    }
}

/// `behavior` with `next` inside it: the [`Next`] a behaviour outside both receives. Buses
/// nest their behaviours with it; a hand-written pipeline can too.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{block_on, After, Chain, Behavior, Command, Next, Response};
///
/// #[derive(Command)]
/// #[command(output = u32)]
/// struct Add(u32, u32);
///
/// struct Handler;
///
/// impl Next<Add> for Handler {
///     async fn run(&self, Add(a, b): Add) -> Response<Add> {
///         Ok(a + b)
///     }
/// }
///
/// let log = After(|response: &Response<Add>| println!("{response:?}"));
/// let doubled = After(|_: &Response<Add>| {});
/// let chain = Chain::new(&doubled, Handler);
/// assert_eq!(block_on(log.handle(Add(1, 2), chain)), Ok(3));
/// ```
pub struct Chain<'a, B: ?Sized, N> {
    behavior: &'a B,
    next: N,
}

impl<'a, B: ?Sized, N> Chain<'a, B, N> {
    /// `behavior` around `next`.
    #[inline]
    pub fn new(behavior: &'a B, next: N) -> Self {
        Chain { behavior, next }
    }
}

impl<R: Request, B: Behavior<R> + ?Sized, N: Next<R>> Next<R> for Chain<'_, B, N> {
    #[inline]
    fn run(&self, request: R) -> impl Future<Output = Response<R>> + Send {
        self.behavior.handle(request, &self.next)
    }
}

/// A pre-processor: runs `F` on the request before the rest of the pipeline; an error rejects
/// the request ([`DispatchError::Rejected`]) and nothing inside runs.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{block_on, handlers, Before, Bus, Command, DispatchError, ValidationError};
///
/// #[derive(Command)]
/// struct Delete(u32);
///
/// struct Store;
///
/// #[handlers]
/// impl Store {
///     #[command]
///     fn delete(&self, _: Delete) -> Result<(), std::convert::Infallible> {
///         Ok(())
///     }
/// }
///
/// fn protect_root(request: &Delete) -> Result<(), ValidationError> {
///     if request.0 == 0 {
///         return Err(ValidationError::new("0", "the root cannot be deleted"));
///     }
///     Ok(())
/// }
///
/// #[derive(Bus)]
/// struct App {
///     #[behavior(Delete)]
///     guard: Before<fn(&Delete) -> Result<(), ValidationError>>,
///     #[handles(Delete)]
///     store: Store,
/// }
///
/// let app = App { guard: Before(protect_root), store: Store };
/// assert_eq!(block_on(app.send(Delete(4))), Ok(()));
/// assert!(matches!(block_on(app.send(Delete(0))), Err(DispatchError::Rejected { .. })));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Before<F>(pub F);

impl<R, F> Behavior<R> for Before<F>
where
    R: Request,
    F: Fn(&R) -> Result<(), ValidationError> + Send + Sync,
{
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        if let Err(error) = (self.0)(&request) {
            return Err(DispatchError::rejected(R::NAME, error));
        }
        next.run(request).await
    }
}

/// A post-processor: runs `F` on the response once the rest of the pipeline has produced it,
/// whether it succeeded or not, and passes the response on unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct After<F>(pub F);

impl<R, F> Behavior<R> for After<F>
where
    R: Request,
    F: Fn(&Response<R>) + Send + Sync,
{
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        let response = next.run(request).await;
        (self.0)(&response);
        response
    }
}

/// An exception handler: when the handler fails, `F` gets its error and may answer in its
/// place (`Ok`) or fail with the same or another error (`Err`). Rejections pass through.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{block_on, handlers, Bus, Query, Recover};
///
/// #[derive(Query)]
/// #[query(output = String, error = std::io::Error)]
/// struct Greeting;
///
/// struct Remote;
///
/// #[handlers]
/// impl Remote {
///     #[query]
///     fn greet(&self, _: Greeting) -> Result<String, std::io::Error> {
///         Err(std::io::Error::other("unreachable"))
///     }
/// }
///
/// type Fallback = fn(std::io::Error) -> Result<String, std::io::Error>;
///
/// #[derive(Bus)]
/// struct App {
///     #[behavior(Greeting)]
///     fallback: Recover<Fallback>,
///     #[handles(Greeting)]
///     remote: Remote,
/// }
///
/// let app = App { fallback: Recover(|_| Ok("hello (offline)".into())), remote: Remote };
/// assert_eq!(block_on(app.ask(Greeting)).unwrap(), "hello (offline)");
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Recover<F>(pub F);

impl<R, F> Behavior<R> for Recover<F>
where
    R: Request,
    F: Fn(R::Error) -> Result<R::Output, R::Error> + Send + Sync,
{
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        match next.run(request).await {
            Err(DispatchError::Handler(error)) => (self.0)(error).map_err(DispatchError::Handler),
            response => response,
        }
    }
}
