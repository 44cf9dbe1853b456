//! The storage layer the durable patterns share: a [`Journal`] of entries appended per key,
//! a state per key, and a lease so that two processes never work on one key at once.
//!
//! The saga log is a journal whose keys are saga ids; the commit-decision log and the
//! inbox/outbox use the same shape. [`MemoryJournal`] keeps it in memory (tests, a single
//! process); the `patternkit-sqlite` and `patternkit-postgres` crates keep it in a database.
//!
//! A journal is written before anything it records happens elsewhere, and every method can
//! fail: a journal that cannot be reached gives a [`StoreError`] to the caller, never a
//! panic, and what was appended before stays.

mod faults;
mod memory;

pub use faults::{CrashPoint, FaultyJournal};
pub use memory::MemoryJournal;

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use std::time::Duration;

/// A future returned by a [`Journal`] method.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where a key stands: still being worked on, or come to rest one way or another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyState {
    /// Work on it is unfinished: after a crash, it is resumed.
    Open,
    /// Done: nothing more will happen to it.
    Closed,
    /// It cannot finish without a person (an undo that keeps failing).
    Stuck,
}

impl KeyState {
    /// The state as stored.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyState::Open => "open",
            KeyState::Closed => "closed",
            KeyState::Stuck => "stuck",
        }
    }

    /// The state stored as `text`, if it is one.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(KeyState::Open),
            "closed" => Some(KeyState::Closed),
            "stuck" => Some(KeyState::Stuck),
            _ => None,
        }
    }
}

/// An append-only log of entries per key, within named streams (`"saga:PlaceOrder"`).
///
/// Entries of one key are read back in the order they were appended. A key exists from its
/// first entry, in state [`KeyState::Open`].
pub trait Journal: Send + Sync {
    /// Appends `entry` to `key`'s log. Durable when the future completes.
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()>;

    /// Every entry of `key`, oldest first; empty for a key never written.
    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>>;

    /// Sets the state of `key`.
    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()>;

    /// The keys of `stream` in `state`, oldest first.
    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>>;

    /// Takes the lease of `key` for `owner` for `ttl`, unless another owner holds an
    /// unexpired one: `true` when `owner` holds it now. Taking it again extends it.
    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool>;

    /// Gives the lease of `key` back, if `owner` holds it.
    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()>;
}

/// A shared journal: several runners (or a runner and a test) using one log.
impl<J: Journal + ?Sized> Journal for std::sync::Arc<J> {
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()> {
        (**self).append(stream, key, entry)
    }

    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>> {
        (**self).read(stream, key)
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()> {
        (**self).set_state(stream, key, state)
    }

    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>> {
        (**self).keys(stream, state)
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        (**self).lease(stream, key, owner, ttl)
    }

    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        (**self).release(stream, key, owner)
    }
}

/// A journal that could not do what was asked. What it held before is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The storage could not be reached or refused the operation (a lost connection, a
    /// locked or read-only file). Trying again later may work.
    Unavailable(String),
    /// What is stored cannot be read back as it was written.
    Corrupt {
        /// The key whose entries are unreadable.
        key: String,
        /// What is wrong with them.
        reason: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(reason) => write!(f, "the journal is unavailable: {reason}"),
            StoreError::Corrupt { key, reason } => {
                write!(f, "the journal entry of `{key}` is unreadable: {reason}")
            }
        }
    }
}

impl std::error::Error for StoreError {}
