//! SQLite for patternkit's durable patterns, the embedded default — nothing to install or
//! run: a [`Journal`](patternkit_core::store::Journal) in one database file, a two-phase
//! commit participant, the inbox and outbox of idempotent messaging, and a pool manager.
//!
//! Depend on `patternkit` (feature `sqlite`, on by default) and use `patternkit::sqlite`.
//!
//! ```
//! use patternkit::store::{Journal, KeyState};
//! use patternkit::sqlite::SqliteJournal;
//! use patternkit::cqrs::block_on;
//!
//! let journal = SqliteJournal::in_memory()?;
//! block_on(async {
//!     journal.append("saga:Order", "42", "started").await?;
//!     assert_eq!(journal.read("saga:Order", "42").await?, ["started"]);
//!     assert_eq!(journal.keys("saga:Order", KeyState::Open).await?, ["42"]);
//!     Ok::<(), patternkit::store::StoreError>(())
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every write is committed with `synchronous = FULL` in write-ahead-log mode before its
//! future completes, so what a journal acknowledged survives a crash of the process or the
//! machine. Several processes may share one file: SQLite serialises their writes, and the
//! journal's leases keep them off each other's keys.
//!
//! The calls do their work when they are made (SQLite is a library, not a server) and take
//! about as long as a write to the disk; their futures are already complete.

mod accounts;
mod inbox;
mod journal;
mod outbox;
mod pool;

pub use accounts::SqliteAccounts;
pub use inbox::{Handled, SqliteInbox};
pub use journal::SqliteJournal;
pub use outbox::{Lag, Relayed, SqliteOutbox};
pub use pool::SqliteManager;
/// The SQLite driver the inbox, outbox and pool hand you connections and transactions of.
pub use rusqlite;
