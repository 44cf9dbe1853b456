//! What a pool needs from the thing it pools: how to make one, check one, and tell a lasting
//! failure from a passing one.

use core::fmt;
use core::future::Future;
use core::pin::Pin;

/// A future returned by a [`Manager`] or a [`Clock`](super::Clock).
pub type PoolFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Whether a failure to create a connection may pass if tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Refused, too many connections, the server starting up: retried with backoff within
    /// the checkout's timeout.
    Transient,
    /// Wrong password, unknown database: reported at once, never retried.
    Permanent,
}

/// Creates, checks and recycles the connections of a [`Pool`](super::Pool).
///
/// # Example
///
/// ```
/// use patternkit::pool::{Failure, Manager, PoolFuture};
///
/// /// Connections are numbers; number 0 is never handed out.
/// struct Numbers(std::sync::atomic::AtomicU32);
///
/// impl Manager for Numbers {
///     type Connection = u32;
///     type Error = String;
///
///     fn create(&self) -> PoolFuture<'_, Result<u32, String>> {
///         let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         Box::pin(async move { if n == 0 { Err("warming up".into()) } else { Ok(n) } })
///     }
///
///     fn check<'a>(&'a self, _: &'a mut u32) -> PoolFuture<'a, Result<(), String>> {
///         Box::pin(async { Ok(()) })
///     }
///
///     fn classify(&self, _: &String) -> Failure {
///         Failure::Transient
///     }
/// }
/// ```
pub trait Manager: Send + Sync + 'static {
    /// What is pooled.
    type Connection: Send + 'static;
    /// Why one could not be created or checked.
    type Error: fmt::Display + fmt::Debug + Send + 'static;

    /// Opens a new connection.
    fn create(&self) -> PoolFuture<'_, Result<Self::Connection, Self::Error>>;

    /// Checks that an idle connection still works before it is handed out (a round trip,
    /// such as `SELECT 1`). Skipped for one returned very recently; a failure discards it.
    fn check<'a>(
        &'a self,
        connection: &'a mut Self::Connection,
    ) -> PoolFuture<'a, Result<(), Self::Error>>;

    /// Whether a connection is unusable (its socket closed, a transaction left open), asked
    /// when it comes back and before it is handed out: it is then discarded. Must be cheap;
    /// no I/O.
    fn is_broken(&self, connection: &mut Self::Connection) -> bool {
        let _ = connection;
        false
    }

    /// Whether `error` from [`create`](Manager::create) may pass on a retry. By default
    /// every failure is transient.
    fn classify(&self, error: &Self::Error) -> Failure {
        let _ = error;
        Failure::Transient
    }
}
