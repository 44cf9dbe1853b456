//! PostgreSQL for patternkit: a [`Journal`](patternkit_core::store::Journal) that several
//! processes share, each run leased by one of them at a time; a two-phase commit
//! [`PostgresParticipant`]; and a [`PostgresManager`] for the connection pool.
//!
//! Depend on `patternkit` with the `postgres` feature and use `patternkit::postgres`. The
//! connection runs on the tokio runtime the journal is created on.
//!
//! ```no_run
//! use patternkit::postgres::PostgresJournal;
//! use patternkit::store::Journal;
//!
//! # async fn demo() -> Result<(), patternkit::store::StoreError> {
//! let journal = PostgresJournal::connect("host=127.0.0.1 user=postgres dbname=test").await?;
//! journal.append("saga:Order", "42", "started").await?;
//! # Ok(())
//! # }
//! ```
//!
//! Each write is one committed transaction before its future completes. A lease is taken
//! with one `INSERT .. ON CONFLICT .. WHERE` against the server's clock, so two processes
//! never both hold it. A lost connection is an [`StoreError::Unavailable`](patternkit_core::store::StoreError::Unavailable) for the call
//! that saw it; the next call connects again.

mod journal;
mod messaging;
mod participant;
mod pool;
mod schema;

pub use journal::PostgresJournal;
pub use messaging::{PostgresInbox, PostgresOutbox, StageError, install_messaging};
pub use participant::PostgresParticipant;
pub use pool::{PostgresError, PostgresManager};
