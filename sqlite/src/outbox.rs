//! The outbox: an event written in the same SQLite transaction as the state change it
//! announces, and relayed to the broker afterwards — in order per key, each message under a
//! stable id so a relay that crashes after publishing does not publish twice.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use patternkit_core::messaging::{Broker, BrokerError, Envelope, MessageId};
use rusqlite::{Connection, Transaction, params};

use crate::inbox::now_millis;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS patternkit_outbox (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        outbox TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        staged INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS patternkit_outbox_pending
        ON patternkit_outbox (outbox, state, position);
";

/// What one [`SqliteOutbox::relay`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relayed {
    /// Published (or found already published by the broker, from an earlier relay that
    /// crashed before marking them).
    pub published: usize,
    /// Of those, the broker already had.
    pub duplicates: usize,
    /// Failed this time; retried by the next relay (later ones of the same key wait).
    pub failed: usize,
    /// Failed for the last allowed time: moved to the dead letters.
    pub dead: usize,
}

/// How far the relay is behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lag {
    /// Messages staged and not yet published.
    pub pending: usize,
    /// How long the oldest of them has waited.
    pub oldest: Option<Duration>,
    /// Messages given up on.
    pub dead: usize,
}

/// One outbox in a SQLite database: [`stage`](SqliteOutbox::stage) in your transaction,
/// [`relay`](SqliteOutbox::relay) from a task of its own.
///
/// SQLite commits one writer at a time, so staging order is commit order and the relay
/// never skips a row that commits after a later one.
pub struct SqliteOutbox {
    name: String,
    db: Mutex<Connection>,
    max_attempts: u32,
}

impl SqliteOutbox {
    /// Creates the outbox table in `db` if it is missing.
    ///
    /// # Errors
    ///
    /// When SQLite cannot.
    pub fn install(db: &Connection) -> rusqlite::Result<()> {
        db.execute_batch(SCHEMA)
    }

    /// Stages an event for `key` in `tx` (your transaction, with the state change); it is
    /// published when `tx` commits and the relay runs. Its id is `{outbox}-{position}`, or
    /// `id` when given.
    ///
    /// # Errors
    ///
    /// When SQLite fails (for a given `id`: when it was staged before).
    pub fn stage(
        tx: &Transaction<'_>,
        outbox: &str,
        key: &str,
        payload: &str,
        id: Option<&MessageId>,
    ) -> rusqlite::Result<MessageId> {
        let placeholder = format!("{outbox}-staging-{}", now_millis());
        tx.execute(
            "INSERT INTO patternkit_outbox (outbox, id, key, payload, staged)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                outbox,
                id.map_or(placeholder.as_str(), MessageId::as_str),
                key,
                payload,
                now_millis()
            ],
        )?;
        let position = tx.last_insert_rowid();
        let id = match id {
            Some(id) => id.clone(),
            None => {
                let made = format!("{outbox}-{position}");
                tx.execute(
                    "UPDATE patternkit_outbox SET id = ?1 WHERE position = ?2",
                    params![made, position],
                )?;
                MessageId::new(&made)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?
            }
        };
        Ok(id)
    }

    /// The relay of outbox `name` in the database file at `path`, on a connection of its own;
    /// a message is dead-lettered after 10 failed attempts.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened or the table created.
    pub fn open(path: impl AsRef<Path>, name: &str) -> rusqlite::Result<Self> {
        let db = Connection::open(path)?;
        db.busy_timeout(Duration::from_secs(5))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        Self::install(&db)?;
        Ok(SqliteOutbox {
            name: name.to_owned(),
            db: Mutex::new(db),
            max_attempts: 10,
        })
    }

    /// Attempts before a message is moved to the dead letters.
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes up to `max` staged messages in staging order. A key whose message fails is
    /// held back for the rest of this relay, so its order is kept.
    ///
    /// # Errors
    ///
    /// When SQLite fails (what was published stays marked).
    pub async fn relay<B: Broker>(&self, broker: &B, max: usize) -> rusqlite::Result<Relayed> {
        let rows: Vec<(i64, String, String, String, u32)> = {
            let db = self.db();
            let mut select = db.prepare_cached(
                "SELECT position, id, key, payload, attempts FROM patternkit_outbox
                 WHERE outbox = ?1 AND state = 'pending' ORDER BY position LIMIT ?2",
            )?;
            let rows = select.query_map(
                params![self.name, i64::try_from(max).unwrap_or(i64::MAX)],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )?;
            rows.collect::<Result<_, _>>()?
        };
        let mut relayed = Relayed::default();
        let mut held: BTreeSet<String> = BTreeSet::new();
        for (position, id, key, payload, attempts) in rows {
            if held.contains(&key) {
                continue;
            }
            let Ok(message_id) = MessageId::new(&id) else {
                self.bury(position, "not a usable message id")?;
                relayed.dead += 1;
                continue;
            };
            let message = Envelope::new(message_id, &key, &payload);
            match broker.publish(&message).await {
                Ok(published) => {
                    self.db().execute(
                        "UPDATE patternkit_outbox SET state = 'relayed' WHERE position = ?1",
                        [position],
                    )?;
                    relayed.published += 1;
                    relayed.duplicates += usize::from(published.duplicate);
                }
                Err(error) => {
                    held.insert(key);
                    if attempts + 1 >= self.max_attempts
                        || matches!(error, BrokerError::Rejected(_))
                    {
                        self.bury(position, &error.to_string())?;
                        relayed.dead += 1;
                    } else {
                        self.db().execute(
                            "UPDATE patternkit_outbox SET attempts = attempts + 1, last_error = ?2
                             WHERE position = ?1",
                            params![position, error.to_string()],
                        )?;
                        relayed.failed += 1;
                    }
                }
            }
        }
        Ok(relayed)
    }

    fn bury(&self, position: i64, why: &str) -> rusqlite::Result<()> {
        self.db().execute(
            "UPDATE patternkit_outbox SET state = 'dead', attempts = attempts + 1, last_error = ?2
             WHERE position = ?1",
            params![position, why],
        )?;
        Ok(())
    }

    /// How far behind the relay is.
    ///
    /// # Errors
    ///
    /// When SQLite fails.
    pub fn lag(&self) -> rusqlite::Result<Lag> {
        let db = self.db();
        let (pending, oldest): (i64, Option<i64>) = db.query_row(
            "SELECT count(*), min(staged) FROM patternkit_outbox
             WHERE outbox = ?1 AND state = 'pending'",
            [&self.name],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let dead: i64 = db.query_row(
            "SELECT count(*) FROM patternkit_outbox WHERE outbox = ?1 AND state = 'dead'",
            [&self.name],
            |row| row.get(0),
        )?;
        let now = now_millis();
        Ok(Lag {
            pending: usize::try_from(pending).unwrap_or(0),
            oldest: oldest.map(|t| Duration::from_millis(u64::try_from(now - t).unwrap_or(0))),
            dead: usize::try_from(dead).unwrap_or(0),
        })
    }

    /// The dead letters: id, key, payload and the last error, oldest first.
    ///
    /// # Errors
    ///
    /// When SQLite fails.
    pub fn dead_letters(&self) -> rusqlite::Result<Vec<(MessageId, String, String, String)>> {
        let db = self.db();
        let mut select = db.prepare(
            "SELECT id, key, payload, COALESCE(last_error, '') FROM patternkit_outbox
             WHERE outbox = ?1 AND state = 'dead' ORDER BY position",
        )?;
        let rows = select.query_map([&self.name], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
            ))
        })?;
        let mut dead = Vec::new();
        for row in rows {
            let (id, key, payload, error) = row?;
            if let Ok(id) = MessageId::new(&id) {
                dead.push((id, key, payload, error));
            }
        }
        Ok(dead)
    }
}
