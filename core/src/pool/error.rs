//! Why a pool could not hand out a connection, or could not be built.

use core::fmt;
use std::time::Duration;

/// Why [`Pool::get`](super::Pool::get) returned no connection.
#[derive(Debug)]
pub enum PoolError<E> {
    /// None became free, and none could be created, within the checkout timeout.
    Timeout {
        /// How long it waited.
        waited: Duration,
        /// The last failure to create or check a connection, if there was one: usually
        /// why the pool could not grow.
        cause: Option<String>,
    },
    /// Creating a connection failed in a way that will not pass on a retry (the manager
    /// [classified](super::Manager::classify) it [`Permanent`](super::Failure::Permanent)).
    Create(E),
    /// The manager panicked while creating or checking a connection; the pool is unharmed.
    Panicked(String),
    /// The pool was closed.
    Closed,
}

impl<E: fmt::Display> fmt::Display for PoolError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::Timeout { waited, cause } => {
                write!(f, "no connection within {waited:?}")?;
                match cause {
                    Some(cause) => write!(f, " (last failure: {cause})"),
                    None => f.write_str(" (every connection was in use)"),
                }
            }
            PoolError::Create(error) => write!(f, "cannot create a connection: {error}"),
            PoolError::Panicked(why) => write!(f, "the pool's manager panicked: {why}"),
            PoolError::Closed => f.write_str("the pool is closed"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for PoolError<E> {}

/// A pool configuration that cannot work; the message names the option and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}
