//! The inbox: which message ids took effect, recorded in the same SQLite transaction as the
//! effect, so a redelivered message has no second effect.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use patternkit_core::messaging::{Envelope, InboxConfigError, Retention};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS patternkit_inbox (
        consumer TEXT NOT NULL,
        id TEXT NOT NULL,
        received INTEGER NOT NULL,
        PRIMARY KEY (consumer, id)
    );
";

/// Whether a message took effect now or had before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handled<T> {
    /// First delivery: the effect ran and committed with the inbox row.
    Applied(T),
    /// Its id is in the inbox: nothing ran.
    Duplicate,
}

/// The inbox of one consumer in a SQLite database.
///
/// ```
/// use patternkit::messaging::{Envelope, MessageId};
/// use patternkit::sqlite::{Handled, SqliteInbox};
/// use std::time::Duration;
///
/// let mut db = rusqlite::Connection::open_in_memory()?;
/// db.execute_batch("CREATE TABLE balance (total INTEGER); INSERT INTO balance VALUES (0);")?;
/// let inbox = SqliteInbox::new("billing", Duration::from_secs(7 * 86_400), Duration::from_secs(86_400))?;
/// inbox.install(&db)?;
/// let message = Envelope::new(MessageId::new("payment-7")?, "account-1", "30");
/// for _ in 0..2 {
///     // Delivered twice: the second time nothing runs.
///     inbox.handle(&mut db, &message, |tx, m| {
///         tx.execute("UPDATE balance SET total = total + ?1", [m.payload.parse::<i64>().unwrap()])
///     })?;
/// }
/// let total: i64 = db.query_row("SELECT total FROM balance", [], |r| r.get(0))?;
/// assert_eq!(total, 30);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteInbox {
    consumer: String,
    retention: Duration,
}

impl SqliteInbox {
    /// The inbox of `consumer`, keeping each id for `retention`. The broker may redeliver a
    /// message up to `redelivery_horizon` after its first delivery (for JetStream: the stream's
    /// age limit); an id forgotten sooner would let that redelivery take effect again.
    ///
    /// # Errors
    ///
    /// [`InboxConfigError`] when `retention` is shorter than `redelivery_horizon`.
    pub fn new(
        consumer: &str,
        retention: Duration,
        redelivery_horizon: Duration,
    ) -> Result<Self, InboxConfigError> {
        let retention = Retention::new(consumer, retention, redelivery_horizon)?.keep();
        Ok(SqliteInbox {
            consumer: consumer.to_owned(),
            retention,
        })
    }

    /// Creates the inbox table if it is missing.
    ///
    /// # Errors
    ///
    /// When SQLite cannot.
    pub fn install(&self, db: &Connection) -> rusqlite::Result<()> {
        db.execute_batch(SCHEMA)
    }

    /// Records `message`'s id in `tx`; `false` if it was already there. Use it inside your own
    /// transaction, before the effect; commit both together.
    ///
    /// # Errors
    ///
    /// When SQLite fails.
    pub fn accept(&self, tx: &Transaction<'_>, message: &Envelope) -> rusqlite::Result<bool> {
        let changed = tx.execute(
            "INSERT OR IGNORE INTO patternkit_inbox (consumer, id, received) VALUES (?1, ?2, ?3)",
            params![self.consumer, message.id.as_str(), now_millis()],
        )?;
        Ok(changed == 1)
    }

    /// Runs `effect` for `message` in one transaction with its inbox row, unless the inbox
    /// already has it. Acknowledge the message to the broker after this returns `Ok`.
    ///
    /// # Errors
    ///
    /// The effect's error (nothing is committed), or SQLite's.
    pub fn handle<T, E: From<rusqlite::Error>>(
        &self,
        db: &mut Connection,
        message: &Envelope,
        effect: impl FnOnce(&Transaction<'_>, &Envelope) -> Result<T, E>,
    ) -> Result<Handled<T>, E> {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !self.accept(&tx, message)? {
            return Ok(Handled::Duplicate);
        }
        let done = effect(&tx, message)?;
        tx.commit()?;
        Ok(Handled::Applied(done))
    }

    /// Forgets ids older than the retention; returns how many.
    ///
    /// # Errors
    ///
    /// When SQLite fails.
    pub fn expire(&self, db: &Connection) -> rusqlite::Result<usize> {
        let cutoff = now_millis() - i64::try_from(self.retention.as_millis()).unwrap_or(i64::MAX);
        db.execute(
            "DELETE FROM patternkit_inbox WHERE consumer = ?1 AND received < ?2",
            params![self.consumer, cutoff],
        )
    }
}

pub(crate) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
