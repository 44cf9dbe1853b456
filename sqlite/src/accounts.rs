//! Accounts in a SQLite file that take part in two-phase commit by reservation: a transfer's
//! changes are staged, `prepare` reserves them durably (or refuses), `commit` applies them,
//! `rollback` releases them. No server is needed, so the tour can move money between two
//! files atomically.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use patternkit_commit::{Gid, Participant, ParticipantError, ParticipantFuture};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS patternkit_accounts (
        id TEXT PRIMARY KEY,
        balance INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS patternkit_reservations (
        gid TEXT NOT NULL,
        account TEXT NOT NULL,
        delta INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (gid, account)
    );
";

/// Account balances in a SQLite database, a [`Participant`] of two-phase commit.
///
/// ```
/// use patternkit::commit::{Decision, Gid, TwoPhaseCommit};
/// use patternkit::cqrs::block_on;
/// use patternkit::sqlite::SqliteAccounts;
/// use patternkit::store::MemoryJournal;
///
/// let (north, south) = (SqliteAccounts::in_memory("north")?, SqliteAccounts::in_memory("south")?);
/// north.open_account("alice", 100)?;
/// south.open_account("bob", 0)?;
/// let gid = Gid::new("transfer-1")?;
/// north.stage(&gid, "alice", -30)?;
/// south.stage(&gid, "bob", 30)?;
/// let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
/// assert_eq!(block_on(coordinator.run(&gid, &[&north, &south]))?, Decision::Commit);
/// assert_eq!((north.balance("alice")?, south.balance("bob")?), (70, 30));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteAccounts {
    name: String,
    connection: Mutex<Connection>,
}

impl SqliteAccounts {
    /// Opens (or creates) the accounts in the database file at `path`; `name` names them in
    /// messages.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when the file cannot be opened or its tables created.
    pub fn open(name: &str, path: impl AsRef<Path>) -> Result<Self, ParticipantError> {
        Self::with(name, Connection::open(path).map_err(failed)?)
    }

    /// Accounts in a private in-memory database.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when SQLite cannot create it.
    pub fn in_memory(name: &str) -> Result<Self, ParticipantError> {
        Self::with(name, Connection::open_in_memory().map_err(failed)?)
    }

    fn with(name: &str, connection: Connection) -> Result<Self, ParticipantError> {
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(failed)?;
        connection.execute_batch(SCHEMA).map_err(failed)?;
        Ok(SqliteAccounts {
            name: name.to_owned(),
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // Every transaction is committed or rolled back before the lock is released.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens account `id` with `balance`, or sets the balance of an existing one.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when the database refuses.
    pub fn open_account(&self, id: &str, balance: i64) -> Result<(), ParticipantError> {
        self.lock()
            .execute(
                "INSERT INTO patternkit_accounts (id, balance) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET balance = ?2",
                params![id, balance],
            )
            .map(drop)
            .map_err(failed)
    }

    /// Account `id`'s balance, what committed transactions made it.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] for an unknown account.
    pub fn balance(&self, id: &str) -> Result<i64, ParticipantError> {
        self.lock()
            .query_row(
                "SELECT balance FROM patternkit_accounts WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .map_err(|_| ParticipantError(format!("no account `{id}`")))
    }

    /// Stages `delta` on account `id` as part of transaction `gid`, to be reserved by
    /// `prepare`. Staging an account twice in one transaction adds up.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when the database refuses.
    pub fn stage(&self, gid: &Gid, id: &str, delta: i64) -> Result<(), ParticipantError> {
        self.lock()
            .execute(
                "INSERT INTO patternkit_reservations (gid, account, delta, state)
                 VALUES (?1, ?2, ?3, 'staged')
                 ON CONFLICT (gid, account) DO UPDATE SET delta = delta + ?3",
                params![gid.as_str(), id, delta],
            )
            .map(drop)
            .map_err(failed)
    }

    fn prepare_now(&self, gid: &Gid) -> rusqlite::Result<bool> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let state: Option<String> = transaction
            .query_row(
                "SELECT state FROM patternkit_reservations WHERE gid = ?1 LIMIT 1",
                params![gid.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        match state.as_deref() {
            Some("prepared" | "confirmed") => return Ok(true),
            Some("cancelled") | None => return Ok(false),
            _ => {}
        }
        // What each account would hold with every prepared withdrawal counted as spent.
        let short: i64 = transaction.query_row(
            "SELECT COUNT(*) FROM patternkit_reservations r
             LEFT JOIN patternkit_accounts a ON a.id = r.account
             WHERE r.gid = ?1 AND (a.id IS NULL OR a.balance + r.delta + COALESCE((
                 SELECT SUM(o.delta) FROM patternkit_reservations o
                 WHERE o.account = r.account AND o.state = 'prepared' AND o.delta < 0), 0) < 0)",
            params![gid.as_str()],
            |row| row.get(0),
        )?;
        let vote = short == 0;
        transaction.execute(
            "UPDATE patternkit_reservations SET state = ?2 WHERE gid = ?1",
            params![gid.as_str(), if vote { "prepared" } else { "cancelled" }],
        )?;
        transaction.commit()?;
        Ok(vote)
    }

    fn commit_now(&self, gid: &Gid) -> Result<(), ParticipantError> {
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        let cancelled: i64 = transaction
            .query_row(
                "SELECT COUNT(*) FROM patternkit_reservations WHERE gid = ?1 AND state = 'cancelled'",
                params![gid.as_str()],
                |row| row.get(0),
            )
            .map_err(failed)?;
        if cancelled > 0 {
            return Err(ParticipantError(format!(
                "`{gid}` was rolled back here; it cannot commit"
            )));
        }
        transaction
            .execute(
                "UPDATE patternkit_accounts SET balance = balance + (
                     SELECT r.delta FROM patternkit_reservations r
                     WHERE r.gid = ?1 AND r.account = patternkit_accounts.id AND r.state = 'prepared')
                 WHERE id IN (SELECT account FROM patternkit_reservations
                              WHERE gid = ?1 AND state = 'prepared')",
                params![gid.as_str()],
            )
            .map_err(failed)?;
        transaction
            .execute(
                "UPDATE patternkit_reservations SET state = 'confirmed'
                 WHERE gid = ?1 AND state = 'prepared'",
                params![gid.as_str()],
            )
            .map_err(failed)?;
        transaction.commit().map_err(failed)
    }

    fn rollback_now(&self, gid: &Gid) -> Result<(), ParticipantError> {
        // One lock for the check and the change, so a commit cannot slip in between.
        let connection = self.lock();
        let confirmed: i64 = connection
            .query_row(
                "SELECT COUNT(*) FROM patternkit_reservations WHERE gid = ?1 AND state = 'confirmed'",
                params![gid.as_str()],
                |row| row.get(0),
            )
            .map_err(failed)?;
        if confirmed > 0 {
            return Err(ParticipantError(format!(
                "`{gid}` was committed here; it cannot roll back"
            )));
        }
        connection
            .execute(
                "UPDATE patternkit_reservations SET state = 'cancelled' WHERE gid = ?1",
                params![gid.as_str()],
            )
            .map(drop)
            .map_err(failed)
    }

    fn in_doubt_now(&self) -> rusqlite::Result<Vec<Gid>> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT DISTINCT gid FROM patternkit_reservations WHERE state = 'prepared' ORDER BY gid",
        )?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        let mut gids = Vec::new();
        for row in rows {
            if let Ok(gid) = Gid::new(&row?) {
                gids.push(gid);
            }
        }
        Ok(gids)
    }
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(failed)`.
fn failed(error: rusqlite::Error) -> ParticipantError {
    ParticipantError(format!("SQLite: {error}"))
}

fn ready<'a, T: Send + 'a>(value: Result<T, ParticipantError>) -> ParticipantFuture<'a, T> {
    Box::pin(core::future::ready(value))
}

impl Participant for SqliteAccounts {
    fn name(&self) -> &str {
        &self.name
    }

    fn prepare<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        ready(self.prepare_now(gid).map_err(failed))
    }

    fn commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        ready(self.commit_now(gid))
    }

    fn rollback<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        ready(self.rollback_now(gid))
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        ready(self.in_doubt_now().map_err(failed))
    }
}
