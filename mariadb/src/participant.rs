//! A MariaDB database as a participant of two-phase commit through XA: the work runs between
//! `XA START` and `XA END` on a connection of its own, `XA PREPARE` is the yes vote, and
//! `XA COMMIT` / `XA ROLLBACK` apply the decision from any connection. The preparing
//! connection is closed before the yes vote is returned: MariaDB keeps a prepared branch
//! attached to its session until then, and a branch attached to a session another process
//! cannot see would be reported unknown to a recovering coordinator (as if already finished).
//! Connections that end without preparing are reused.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, Params, Row};
use patternkit_commit::{Gid, Participant, ParticipantError, ParticipantFuture};

/// The XA format id of patternkit's transactions, so that [`Participant::in_doubt`] lists
/// only those (`XA RECOVER` lists every prepared transaction on the server).
const FORMAT: u32 = 0x504b;

/// The longest global id MariaDB accepts in an XA id (`gtrid`), in bytes.
const MAX_GTRID: usize = 64;

/// `ER_XAER_NOTA`: the server holds no XA transaction with that id.
const UNKNOWN_XID: u16 = 1397;

/// `ER_XA_RBROLLBACK`: the branch was rolled back — what MariaDB answers for a branch that
/// wrote nothing (it is rolled back at `XA PREPARE`), where either decision is the same.
const ROLLED_BACK: u16 = 1402;

/// How many free connections are kept for the next transactions.
const IDLE: usize = 32;

/// A MariaDB database taking part in two-phase commit.
///
/// Each transaction is an XA branch: its id is the global id (at most 64 bytes, MariaDB's
/// limit) with this participant's name as branch qualifier, so several participants can
/// share one server.
pub struct MariaDbParticipant {
    name: String,
    opts: Opts,
    admin: tokio::sync::Mutex<Conn>,
    open: Mutex<BTreeMap<Gid, Branch>>,
    /// Connections free for the next transaction.
    idle: Mutex<Vec<Conn>>,
    /// Ids this participant voted no on without preparing: a rollback of them must not touch
    /// a transaction another coordinator prepared under the same id.
    refused: Mutex<BTreeSet<Gid>>,
}

/// A transaction between `XA START` and `XA PREPARE`.
struct Branch {
    /// `None` while a statement runs on it.
    conn: Option<Conn>,
    /// A statement failed: the branch votes no.
    failed: bool,
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(failed)`.
fn failed(error: mysql_async::Error) -> ParticipantError {
    ParticipantError(format!("MariaDB: {error}"))
}

fn unknown_xid(error: &mysql_async::Error) -> bool {
    matches!(error, mysql_async::Error::Server(server) if server.code == UNKNOWN_XID)
}

fn rolled_back(error: &mysql_async::Error) -> bool {
    matches!(error, mysql_async::Error::Server(server) if server.code == ROLLED_BACK)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MariaDbParticipant {
    /// The XA id of `gid`'s branch here, as written in `XA` statements. The id and name were
    /// checked to hold no quote when they were made.
    fn xid(&self, gid: &Gid) -> String {
        format!("'{gid}', '{}', {FORMAT}", self.name)
    }

    /// Connects to the database at `url` (`mysql://user:password@host:port/database`); `name`
    /// names it in messages and in its XA ids. Must be called within a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when the URL is malformed, the name unusable (1 to 64 printable
    /// ASCII characters without quotes), or the server cannot be reached.
    pub async fn connect(name: &str, url: &str) -> Result<Self, ParticipantError> {
        if Gid::new(name).is_err() || name.len() > MAX_GTRID {
            return Err(ParticipantError(format!(
                "`{name}` cannot name a participant: it is the branch of its XA ids, so 1 to 64 \
                 printable ASCII characters without quotes"
            )));
        }
        let opts = Opts::from_url(url)
            .map_err(|error| ParticipantError(format!("MariaDB: `{url}`: {error}")))?;
        let admin = Conn::new(opts.clone()).await.map_err(failed)?;
        Ok(MariaDbParticipant {
            name: name.to_owned(),
            opts,
            admin: tokio::sync::Mutex::new(admin),
            open: Mutex::new(BTreeMap::new()),
            idle: Mutex::new(Vec::new()),
            refused: Mutex::new(BTreeSet::new()),
        })
    }

    /// Begins transaction `gid` (`XA START`) on a connection of its own.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when `gid` is longer than MariaDB's 64 bytes, is already open
    /// here, is held prepared on the server, or the server cannot be reached.
    pub async fn begin(&self, gid: &Gid) -> Result<(), ParticipantError> {
        if gid.as_str().len() > MAX_GTRID {
            return Err(ParticipantError(format!(
                "`{gid}` exceeds the 64 bytes MariaDB allows in an XA id; use a shorter id"
            )));
        }
        if lock(&self.open).contains_key(gid) {
            return Err(ParticipantError(format!("`{gid}` is already open here")));
        }
        if self.prepared().await?.contains(gid) {
            return Err(ParticipantError(format!(
                "`{gid}` is held prepared on this server by an earlier transaction; a global \
                 id names one transaction"
            )));
        }
        let conn = self.connection_in(gid).await?;
        let mut open = lock(&self.open);
        if open.contains_key(gid) {
            return Err(ParticipantError(format!("`{gid}` is already open here")));
        }
        open.insert(
            gid.clone(),
            Branch {
                conn: Some(conn),
                failed: false,
            },
        );
        Ok(())
    }

    /// Runs `statement` with `params` inside transaction `gid`; returns the rows it changed.
    /// After a failed statement the transaction votes no, as on PostgreSQL.
    ///
    /// # Errors
    ///
    /// [`ParticipantError`] when `gid` was not begun here, a statement of it is running, or
    /// the statement fails.
    pub async fn execute(
        &self,
        gid: &Gid,
        statement: &str,
        params: impl Into<Params> + Send,
    ) -> Result<u64, ParticipantError> {
        let mut conn = {
            let mut open = lock(&self.open);
            let branch = open
                .get_mut(gid)
                .ok_or_else(|| ParticipantError(format!("`{gid}` was not begun here")))?;
            branch.conn.take().ok_or_else(|| {
                ParticipantError(format!("`{gid}` is running a statement already"))
            })?
        };
        let done = conn.exec_drop(statement, params).await;
        let changed = conn.affected_rows();
        let mut open = lock(&self.open);
        if let Some(branch) = open.get_mut(gid) {
            branch.conn = Some(conn);
            branch.failed |= done.is_err();
        }
        done.map(|()| changed).map_err(failed)
    }

    /// The ids of patternkit's transactions with this participant's name that the server
    /// holds prepared.
    async fn prepared(&self) -> Result<Vec<Gid>, ParticipantError> {
        let rows: Vec<Row> = self
            .admin
            .lock()
            .await
            .query("XA RECOVER")
            .await
            .map_err(failed)?;
        let mut held = Vec::new();
        for row in rows {
            let format: Option<i64> = row.get(0);
            let gtrid: Option<usize> = row.get(1);
            let data: Option<Vec<u8>> = row.get(3);
            let (Some(format), Some(gtrid), Some(data)) = (format, gtrid, data) else {
                continue;
            };
            if format != i64::from(FORMAT) || gtrid > data.len() {
                continue;
            }
            let (id, branch) = data.split_at(gtrid);
            if branch != self.name.as_bytes() {
                continue;
            }
            if let Some(gid) = std::str::from_utf8(id)
                .ok()
                .and_then(|id| Gid::new(id).ok())
            {
                held.push(gid);
            }
        }
        held.sort();
        Ok(held)
    }

    /// A connection inside `XA START` of `gid`: a free one if it still works, else a new one.
    async fn connection_in(&self, gid: &Gid) -> Result<Conn, ParticipantError> {
        let start = format!("XA START {}", self.xid(gid));
        loop {
            let Some(mut conn) = lock(&self.idle).pop() else {
                break;
            };
            if conn.query_drop(&start).await.is_ok() {
                return Ok(conn);
            }
        }
        let mut conn = Conn::new(self.opts.clone()).await.map_err(failed)?;
        conn.query_drop(start).await.map_err(failed)?;
        Ok(conn)
    }

    /// Keeps `conn`, free of any transaction, for a later one.
    fn release(&self, conn: Conn) {
        let mut idle = lock(&self.idle);
        if idle.len() < IDLE {
            idle.push(conn);
        }
    }

    /// `XA COMMIT` or `XA ROLLBACK` of `gid`'s prepared (detached) branch, from any
    /// connection. One the server no longer holds was finished by an earlier attempt.
    async fn finish_prepared(&self, verb: &str, gid: &Gid) -> Result<(), ParticipantError> {
        let statement = format!("XA {verb} {}", self.xid(gid));
        match self.admin.lock().await.query_drop(statement).await {
            Ok(()) => Ok(()),
            Err(error) if unknown_xid(&error) || rolled_back(&error) => Ok(()),
            Err(error) => Err(failed(error)),
        }
    }

    /// Waits until the server has ended session `id` (so a branch it prepared is detached and
    /// visible to every session), for at most a few seconds.
    async fn ended(&self, id: u32) -> Result<(), ParticipantError> {
        for _ in 0..200 {
            let alive: Option<i64> = self
                .admin
                .lock()
                .await
                .exec_first(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?",
                    (id,),
                )
                .await
                .map_err(failed)?;
            if alive == Some(0) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Err(ParticipantError(format!(
            "MariaDB: session {id} did not end after preparing"
        )))
    }

    /// Votes no on `gid`: its open work (if any) is rolled back when its connection closes.
    fn refuse(&self, gid: &Gid) -> bool {
        lock(&self.refused).insert(gid.clone());
        false
    }
}

impl Participant for MariaDbParticipant {
    fn name(&self) -> &str {
        &self.name
    }

    fn prepare<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(async move {
            let branch = lock(&self.open).remove(gid);
            let Some(Branch {
                conn: Some(mut conn),
                failed: false,
            }) = branch
            else {
                // Nothing open under this id here (a restart lost it), a statement is still
                // running, or one failed: a no vote.
                return Ok(self.refuse(gid));
            };
            let xid = self.xid(gid);
            if conn.query_drop(format!("XA END {xid}")).await.is_err()
                || conn.query_drop(format!("XA PREPARE {xid}")).await.is_err()
            {
                if conn.query_drop(format!("XA ROLLBACK {xid}")).await.is_ok() {
                    self.release(conn);
                }
                return Ok(self.refuse(gid));
            }
            // Detach the branch before voting yes: until its session ends, another session
            // (a recovering coordinator) would be told the branch is unknown.
            let session = conn.id();
            conn.disconnect().await.map_err(failed)?;
            self.ended(session).await?;
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
            let branch = lock(&self.open).remove(gid);
            if let Some(Branch {
                conn: Some(mut conn),
                ..
            }) = branch
            {
                let xid = self.xid(gid);
                let _ = conn.query_drop(format!("XA END {xid}")).await;
                conn.query_drop(format!("XA ROLLBACK {xid}"))
                    .await
                    .map_err(failed)?;
                self.release(conn);
                return Ok(());
            }
            self.finish_prepared("ROLLBACK", gid).await
        })
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        Box::pin(self.prepared())
    }
}
