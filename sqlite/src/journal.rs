//! The journal's two tables: entries by (stream, key, sequence), and one row per key with its
//! state and lease.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use patternkit_core::store::{Journal, KeyState, StoreError, StoreFuture};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS patternkit_journal (
        stream TEXT NOT NULL,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (stream, key, seq)
    );
    CREATE TABLE IF NOT EXISTS patternkit_keys (
        stream TEXT NOT NULL,
        key TEXT NOT NULL,
        state TEXT,
        created INTEGER,
        owner TEXT,
        lease_until INTEGER,
        PRIMARY KEY (stream, key)
    );
    CREATE INDEX IF NOT EXISTS patternkit_keys_state
        ON patternkit_keys (stream, state, created);
";

/// A [`Journal`] in a SQLite database.
pub struct SqliteJournal {
    connection: Mutex<Connection>,
}

impl SqliteJournal {
    /// Opens (or creates) the journal in the database file at `path`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the file cannot be opened or its tables created.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let connection = Connection::open(path).map_err(unavailable)?;
        Self::with_connection(connection)
    }

    /// A journal in a private in-memory database, gone with it: for tests and examples.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when SQLite cannot create it.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::with_connection(Connection::open_in_memory().map_err(unavailable)?)
    }

    fn with_connection(connection: Connection) -> Result<Self, StoreError> {
        connection
            .busy_timeout(Duration::from_secs(5))
            .map_err(unavailable)?;
        // WAL lets readers work beside the writer; FULL makes each commit durable.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(unavailable)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(unavailable)?;
        connection.execute_batch(SCHEMA).map_err(unavailable)?;
        Ok(SqliteJournal {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the connection was held left no transaction open: each one is
        // committed or rolled back (on drop) before the lock is released.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn append_now(&self, stream: &str, key: &str, entry: &str) -> rusqlite::Result<()> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        transaction.execute(
            "INSERT INTO patternkit_keys (stream, key, state, created)
             VALUES (?1, ?2, 'open', (SELECT COALESCE(MAX(created), 0) + 1 FROM patternkit_keys))
             ON CONFLICT (stream, key) DO UPDATE SET
                 state = COALESCE(state, 'open'),
                 created = COALESCE(created, excluded.created)",
            params![stream, key],
        )?;
        transaction.execute(
            "INSERT INTO patternkit_journal (stream, key, seq, entry)
             VALUES (?1, ?2,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM patternkit_journal
                  WHERE stream = ?1 AND key = ?2),
                 ?3)",
            params![stream, key, entry],
        )?;
        transaction.commit()
    }

    fn read_now(&self, stream: &str, key: &str) -> Result<Vec<String>, StoreError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached(
                "SELECT entry FROM patternkit_journal WHERE stream = ?1 AND key = ?2 ORDER BY seq",
            )
            .map_err(unavailable)?;
        let rows = statement
            .query_map(params![stream, key], |row| row.get::<_, String>(0))
            .map_err(unavailable)?;
        rows.map(|row| {
            row.map_err(|error| match error {
                rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..) => StoreError::Corrupt {
                    key: key.to_owned(),
                    reason: format!("an entry is not text: {error}"),
                },
                other => unavailable(other),
            })
        })
        .collect()
    }

    fn set_state_now(&self, stream: &str, key: &str, state: KeyState) -> rusqlite::Result<()> {
        self.lock()
            .execute(
                "INSERT INTO patternkit_keys (stream, key, state, created)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(created), 0) + 1 FROM patternkit_keys))
                 ON CONFLICT (stream, key) DO UPDATE SET state = excluded.state",
                params![stream, key, state.as_str()],
            )
            .map(drop)
    }

    fn keys_now(&self, stream: &str, state: KeyState) -> rusqlite::Result<Vec<String>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT key FROM patternkit_keys WHERE stream = ?1 AND state = ?2 ORDER BY created",
        )?;
        let rows = statement.query_map(params![stream, state.as_str()], |row| row.get(0))?;
        rows.collect()
    }

    fn lease_now(
        &self,
        stream: &str,
        key: &str,
        owner: &str,
        ttl: Duration,
    ) -> rusqlite::Result<bool> {
        let now = millis(SystemTime::now());
        let until = now.saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX));
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<(Option<String>, Option<i64>)> = transaction
            .query_row(
                "SELECT owner, lease_until FROM patternkit_keys WHERE stream = ?1 AND key = ?2",
                params![stream, key],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((Some(other), Some(expires))) = &held {
            if other != owner && *expires > now {
                return Ok(false);
            }
        }
        transaction.execute(
            "INSERT INTO patternkit_keys (stream, key, owner, lease_until) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (stream, key) DO UPDATE SET owner = ?3, lease_until = ?4",
            params![stream, key, owner, until],
        )?;
        transaction.commit()?;
        Ok(true)
    }

    fn release_now(&self, stream: &str, key: &str, owner: &str) -> rusqlite::Result<()> {
        self.lock()
            .execute(
                "UPDATE patternkit_keys SET owner = NULL, lease_until = NULL
                 WHERE stream = ?1 AND key = ?2 AND owner = ?3",
                params![stream, key, owner],
            )
            .map(drop)
    }
}

fn millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(unavailable)`.
fn unavailable(error: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("SQLite: {error}"))
}

fn ready<'a, T: Send + 'a>(value: Result<T, StoreError>) -> StoreFuture<'a, T> {
    Box::pin(core::future::ready(value))
}

impl Journal for SqliteJournal {
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()> {
        ready(self.append_now(stream, key, entry).map_err(unavailable))
    }

    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>> {
        ready(self.read_now(stream, key))
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()> {
        ready(self.set_state_now(stream, key, state).map_err(unavailable))
    }

    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>> {
        ready(self.keys_now(stream, state).map_err(unavailable))
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        ready(self.lease_now(stream, key, owner, ttl).map_err(unavailable))
    }

    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        ready(self.release_now(stream, key, owner).map_err(unavailable))
    }
}
