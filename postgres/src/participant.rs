//! A PostgreSQL database as a participant of two-phase commit: the work runs in a
//! transaction of its own connection, `PREPARE TRANSACTION` is the yes vote, and
//! `COMMIT PREPARED` / `ROLLBACK PREPARED` apply the decision from any connection. A
//! connection is free again once its transaction is prepared, and is reused.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use patternkit_commit::{Gid, Participant, ParticipantError, ParticipantFuture};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls};

/// How many free connections are kept for the next transactions.
const IDLE: usize = 32;

/// A PostgreSQL database taking part in two-phase commit.
///
/// The server must allow prepared transactions (`max_prepared_transactions > 0`; PostgreSQL
/// ships with 0): [`connect`](PostgresParticipant::connect) checks and says how to set it.
pub struct PostgresParticipant {
    name: String,
    config: String,
    admin: Client,
    open: Mutex<BTreeMap<Gid, Arc<Open>>>,
    /// Connections free for the next transaction (after a prepare or a rollback).
    idle: Mutex<Vec<Client>>,
    /// Ids this participant voted no on without preparing: a rollback of them must not touch
    /// a transaction another coordinator prepared under the same name.
    refused: Mutex<BTreeSet<Gid>>,
}

/// A transaction between `BEGIN` and `PREPARE TRANSACTION`.
struct Open {
    client: Client,
    /// A statement failed: the transaction is aborted and votes no.
    failed: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn open(config: &str) -> Result<Client, ParticipantError> {
    let (client, connection) = tokio_postgres::connect(config, NoTls)
        .await
        .map_err(failed)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(failed)`.
fn failed(error: tokio_postgres::Error) -> ParticipantError {
    ParticipantError(format!("PostgreSQL: {error}"))
}

impl PostgresParticipant {
    /// The name the transaction is prepared under on the server: the global id and this
    /// participant's name, so that several participants can share one server (a server
    /// refuses a second prepared transaction with the same name).
    fn branch(&self, gid: &Gid) -> String {
        format!("{gid}@{}", self.name)
    }

    /// `COMMIT PREPARED` or `ROLLBACK PREPARED` of `gid`'s transaction, from any connection.
    /// One the server no longer holds was finished by an earlier attempt: nothing is left to
    /// do.
    async fn finish_prepared(&self, verb: &str, gid: &Gid) -> Result<(), ParticipantError> {
        let statement = format!("{verb} PREPARED '{}'", self.branch(gid));
        match self.admin.batch_execute(&statement).await {
            Ok(()) => Ok(()),
            Err(error)
                if error.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_OBJECT) =>
            {
                Ok(())
            }
            Err(error) => Err(failed(error)),
        }
    }

    /// Whether the server holds a prepared transaction named `branch`.
    async fn is_prepared(&self, branch: &str) -> Result<bool, ParticipantError> {
        let listed = self
            .admin
            .query_opt("SELECT 1 FROM pg_prepared_xacts WHERE gid = $1", &[&branch])
            .await
            .map_err(failed)?;
        Ok(listed.is_some())
    }

    /// Votes no on `gid` without having prepared it.
    fn refuse(&self, gid: &Gid) -> bool {
        lock(&self.refused).insert(gid.clone());
        false
    }

    /// Keeps `client`, free of any transaction, for a later one.
    fn release(&self, client: Client) {
        let mut idle = lock(&self.idle);
        if idle.len() < IDLE && !client.is_closed() {
            idle.push(client);
        }
    }

    /// A connection inside a new transaction: a free one if it still works, else a new one.
    async fn connection_in_transaction(&self) -> Result<Client, ParticipantError> {
        loop {
            let Some(client) = lock(&self.idle).pop() else {
                break;
            };
            if client.batch_execute("BEGIN").await.is_ok() {
                return Ok(client);
            }
        }
        let client = open(&self.config).await?;
        client.batch_execute("BEGIN").await.map_err(failed)?;
        Ok(client)
    }

    /// Connects to the database at `config`; `name` names it in messages. Must be called
    /// within a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when the server cannot be reached, or does not allow prepared
    /// transactions — the message says how to allow them.
    pub async fn connect(name: &str, config: &str) -> Result<Self, ParticipantError> {
        if Gid::new(name).is_err() {
            return Err(ParticipantError(format!(
                "`{name}` cannot name a participant: it goes into prepared transactions' names, \
                 so it is printable ASCII without quotes"
            )));
        }
        let admin = open(config).await?;
        let allowed: String = admin
            .query_one("SHOW max_prepared_transactions", &[])
            .await
            .map_err(failed)?
            .try_get(0)
            .map_err(failed)?;
        if allowed.trim() == "0" {
            return Err(ParticipantError(format!(
                "`{name}`: this PostgreSQL server does not allow prepared transactions \
                 (max_prepared_transactions = 0); run `ALTER SYSTEM SET max_prepared_transactions \
                 = 64` and restart the server"
            )));
        }
        Ok(PostgresParticipant {
            name: name.to_owned(),
            config: config.to_owned(),
            admin,
            open: Mutex::new(BTreeMap::new()),
            idle: Mutex::new(Vec::new()),
            refused: Mutex::new(BTreeSet::new()),
        })
    }

    /// Begins transaction `gid` on a connection of its own.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when it cannot connect, or the id is open here or held prepared
    /// on the server.
    pub async fn begin(&self, gid: &Gid) -> Result<(), ParticipantError> {
        let branch = self.branch(gid);
        if branch.len() > Gid::MAX {
            return Err(ParticipantError(format!(
                "`{gid}` with this participant's name `{}` exceeds PostgreSQL's 200 bytes; \
                 use a shorter id or name",
                self.name
            )));
        }
        if self.is_prepared(&branch).await? {
            return Err(ParticipantError(format!(
                "`{gid}` is held prepared on this server by an earlier transaction; a global \
                 id names one transaction"
            )));
        }
        let client = self.connection_in_transaction().await?;
        let mut open = lock(&self.open);
        if open.contains_key(gid) {
            return Err(ParticipantError(format!("`{gid}` is already open here")));
        }
        open.insert(
            gid.clone(),
            Arc::new(Open {
                client,
                failed: AtomicBool::new(false),
            }),
        );
        Ok(())
    }

    /// Runs `statement` inside transaction `gid`; returns the rows it changed.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when `gid` was not begun here or the statement fails (the
    /// transaction then votes no).
    pub async fn execute(
        &self,
        gid: &Gid,
        statement: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, ParticipantError> {
        let open = lock(&self.open)
            .get(gid)
            .cloned()
            .ok_or_else(|| ParticipantError(format!("`{gid}` was not begun here")))?;
        let done = open.client.execute(statement, params).await;
        if done.is_err() {
            open.failed.store(true, Ordering::SeqCst);
        }
        done.map_err(failed)
    }
}

impl Participant for PostgresParticipant {
    fn name(&self) -> &str {
        &self.name
    }

    fn prepare<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(async move {
            let Some(open) = lock(&self.open).remove(gid) else {
                // Nothing open under this id here (a restart lost it): a no vote.
                return Ok(self.refuse(gid));
            };
            // A statement still running: a no vote (its connection closes when it ends,
            // rolling the work back).
            let Ok(open) = Arc::try_unwrap(open) else {
                return Ok(self.refuse(gid));
            };
            if open.failed.load(Ordering::SeqCst) {
                // PostgreSQL aborted the transaction at the failed statement.
                if open.client.batch_execute("ROLLBACK").await.is_ok() {
                    self.release(open.client);
                }
                return Ok(self.refuse(gid));
            }
            // The id and name were checked to hold no quote when they were made.
            let prepare = format!("PREPARE TRANSACTION '{}'", self.branch(gid));
            if open.client.batch_execute(&prepare).await.is_err() {
                // Refused, e.g. because the name is taken by another coordinator's
                // transaction: that one is not ours to roll back.
                return Ok(self.refuse(gid));
            }
            // The prepared transaction belongs to the server now; the session is free.
            self.release(open.client);
            Ok(true)
        })
    }

    fn commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(self.finish_prepared("COMMIT", gid))
    }

    fn rollback<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            if lock(&self.refused).remove(gid) {
                return Ok(());
            }
            let open = lock(&self.open).remove(gid);
            if let Some(open) = open {
                // A statement still running keeps the connection; it closes when that ends,
                // and the server rolls the work back.
                if let Ok(open) = Arc::try_unwrap(open) {
                    open.client
                        .batch_execute("ROLLBACK")
                        .await
                        .map_err(failed)?;
                    self.release(open.client);
                }
                return Ok(());
            }
            self.finish_prepared("ROLLBACK", gid).await
        })
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        Box::pin(async move {
            let rows = self
                .admin
                .query(
                    "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() \
                     ORDER BY gid",
                    &[],
                )
                .await
                .map_err(failed)?;
            let suffix = format!("@{}", self.name);
            Ok(rows
                .iter()
                .filter_map(|row| row.try_get::<_, String>(0).ok())
                .filter_map(|branch| Gid::new(branch.strip_suffix(&suffix)?).ok())
                .collect())
        })
    }
}
