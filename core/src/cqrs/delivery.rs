//! Delivering an event: what a subscriber returns, the failures collected from all of them,
//! and running them one after another or all at once.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// A subscriber's error, whatever its type.
pub type BoxError = Box<dyn core::error::Error + Send + Sync + 'static>;

/// What an event handler returns: `()` when it cannot fail, or `Result<(), E>` for any error
/// that converts into a [`BoxError`] (every `std::error::Error + Send + Sync`, `String`,
/// `&str`).
#[diagnostic::on_unimplemented(
    message = "an event handler returns `()` or `Result<(), E>`, not `{Self}`",
    label = "this is what the handler returns",
    note = "return nothing, or `Result<(), E>` with an error type that converts into \
            `Box<dyn std::error::Error + Send + Sync>`"
)]
pub trait Handled {
    /// `Ok` when the subscriber succeeded.
    ///
    /// # Errors
    ///
    /// The subscriber's error, boxed.
    fn into_result(self) -> Result<(), BoxError>;
}

impl Handled for () {
    #[inline]
    fn into_result(self) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E: Into<BoxError>> Handled for Result<(), E> {
    #[inline]
    fn into_result(self) -> Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

/// One subscriber that failed.
#[derive(Debug)]
pub struct SubscriberFailure {
    /// The subscriber: its field on a `#[derive(Bus)]`, its type in a
    /// [`Registry`](super::Registry).
    pub subscriber: &'static str,
    /// Its error.
    pub error: BoxError,
}

/// Every subscriber of one event that failed, in the order they are declared; the others
/// succeeded. Publishing never stops at a failure: each subscriber reacts on its own.
#[derive(Debug)]
pub struct SubscriberErrors {
    event: &'static str,
    failures: Vec<SubscriberFailure>,
}

impl SubscriberErrors {
    /// No failures yet, for `event`.
    #[must_use]
    pub fn new(event: &'static str) -> Self {
        SubscriberErrors {
            event,
            failures: Vec::new(),
        }
    }

    /// Adds `subscriber`'s failure, if it failed.
    pub fn record(&mut self, subscriber: &'static str, result: Result<(), BoxError>) {
        if let Err(error) = result {
            self.failures.push(SubscriberFailure { subscriber, error });
        }
    }

    /// `Ok` when no subscriber failed.
    ///
    /// # Errors
    ///
    /// `self`, when one did.
    pub fn into_result(self) -> Result<(), Self> {
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// The event's name.
    #[must_use]
    pub fn event(&self) -> &'static str {
        self.event
    }

    /// The failures, in declaration order.
    #[must_use]
    pub fn failures(&self) -> &[SubscriberFailure] {
        &self.failures
    }

    /// The names of the subscribers that failed.
    pub fn subscribers(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.failures.iter().map(|failure| failure.subscriber)
    }
}

impl fmt::Display for SubscriberErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} subscriber", self.failures.len())?;
        if self.failures.len() != 1 {
            f.write_str("s")?;
        }
        write!(f, " of `{}` failed: ", self.event)?;
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "`{}`: {}", failure.subscriber, failure.error)?;
        }
        Ok(())
    }
}

impl core::error::Error for SubscriberErrors {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        self.failures
            .first()
            .map(|failure| &*failure.error as &(dyn core::error::Error + 'static))
    }
}

/// One subscriber's reaction to an event, boxed.
pub type Reaction<'a> = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send + 'a>>;

/// A subscriber's reaction with the subscriber's name, for [`Concurrently`].
pub type Delivery<'a> = (&'static str, Reaction<'a>);

/// Every delivery of one event polled together on the task that awaits it (no task is
/// spawned, so it needs no particular executor): a subscriber that waits lets the others run.
/// Finishes when all have, with every failure in declaration order.
#[must_use = "futures do nothing unless polled"]
pub struct Concurrently<'a> {
    names: Vec<&'static str>,
    pending: Vec<Option<Reaction<'a>>>,
    results: Vec<Result<(), BoxError>>,
    event: &'static str,
}

impl<'a> Concurrently<'a> {
    /// The deliveries of `event`, in declaration order.
    pub fn new(event: &'static str, deliveries: Vec<Delivery<'a>>) -> Self {
        let (names, pending): (Vec<_>, Vec<_>) = deliveries
            .into_iter()
            .map(|(name, future)| (name, Some(future)))
            .unzip();
        Concurrently {
            results: names.iter().map(|_| Ok(())).collect(),
            names,
            pending,
            event,
        }
    }
}

impl Future for Concurrently<'_> {
    type Output = Result<(), SubscriberErrors>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mut waiting = false;
        for (slot, result) in this.pending.iter_mut().zip(&mut this.results) {
            let Some(future) = slot else {
                continue;
            };
            match future.as_mut().poll(cx) {
                Poll::Ready(done) => {
                    *result = done;
                    *slot = None;
                }
                Poll::Pending => waiting = true,
            }
        }
        if waiting {
            return Poll::Pending;
        }
        let mut errors = SubscriberErrors::new(this.event);
        for (name, result) in this.names.iter().zip(this.results.drain(..)) {
            errors.record(name, result);
        }
        Poll::Ready(errors.into_result())
    }
}
