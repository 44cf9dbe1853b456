//! Running two-phase commit for real: the [`two_phase`](crate::two_phase) machines driven
//! against [`Participant`]s (databases, services) with the decision written to a
//! [`Journal`] before anyone hears it.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use std::time::Duration;

use patternkit_core::store::{Journal, KeyState, StoreError};

use crate::two_phase::{Coordinator, CoordinatorCx, CoordinatorEvent, ToParticipant};
use crate::{Decision, Effect};

/// A participant's future.
pub type ParticipantFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ParticipantError>> + Send + 'a>>;

/// A transaction's global id, as every participant knows it: at most 200 bytes (PostgreSQL's
/// limit for `PREPARE TRANSACTION`), printable ASCII without quotes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gid(String);

impl Gid {
    /// The longest id, in bytes.
    pub const MAX: usize = 200;

    /// `id` as a global id.
    ///
    /// # Errors
    ///
    /// [`CommitError::BadGid`] when it is empty, longer than [`Gid::MAX`] bytes, or holds a
    /// quote, a backslash or a character outside printable ASCII.
    pub fn new(id: &str) -> Result<Self, CommitError> {
        let ok = !id.is_empty()
            && id.len() <= Self::MAX
            && id
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'\'' && b != b'"' && b != b'\\');
        if ok {
            Ok(Gid(id.to_owned()))
        } else {
            let shown: String = id.chars().take(40).collect();
            Err(CommitError::BadGid(shown))
        }
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One resource manager of a two-phase commit: a database transaction prepared under the
/// global id, then committed or rolled back.
pub trait Participant: Send + Sync {
    /// A name for messages.
    fn name(&self) -> &str;

    /// Prepares the transaction `gid`: `Ok(true)` when it is durable and will commit if told
    /// (a yes vote), `Ok(false)` when it cannot (it rolled back).
    fn prepare<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool>;

    /// Commits the prepared transaction. Committing one already committed is not an error.
    fn commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()>;

    /// Rolls it back, prepared or not. Rolling back one unknown is not an error.
    fn rollback<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()>;

    /// The transactions it holds prepared, for recovery after a crash.
    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>>;
}

/// A participant that could not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantError(pub String);

impl fmt::Display for ParticipantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParticipantError {}

/// Why a commit could not run or finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitError {
    /// The global id is not usable.
    BadGid(String),
    /// The id was used before.
    Duplicate(String),
    /// The decision log failed; nothing was decided, or the decision stands in the log and
    /// recovery finishes it.
    Store(StoreError),
    /// Participants did not apply the decision (they are told again by recovery).
    Unfinished {
        /// The decision.
        decision: Decision,
        /// Who, and why.
        failed: Vec<(String, String)>,
    },
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitError::BadGid(id) => write!(
                f,
                "`{id}` is not a usable global id: 1 to 200 printable ASCII characters, no quotes"
            ),
            CommitError::Duplicate(id) => write!(f, "the transaction `{id}` was run before"),
            CommitError::Store(error) => write!(f, "{error}"),
            CommitError::Unfinished { decision, failed } => {
                write!(f, "decided {decision:?}, but not applied by")?;
                for (name, why) in failed {
                    write!(f, " `{name}` ({why})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CommitError {}

impl From<StoreError> for CommitError {
    fn from(error: StoreError) -> Self {
        CommitError::Store(error)
    }
}

const STREAM: &str = "2pc";

/// Runs two-phase commit over participants, deciding with the [`Coordinator`] machine and
/// logging to a journal.
pub struct TwoPhaseCommit<J> {
    journal: J,
    timeout: Duration,
}

impl<J: Journal> TwoPhaseCommit<J> {
    /// A coordinator logging its decisions to `journal`; each phase waits at most 30 s.
    pub fn new(journal: J) -> Self {
        TwoPhaseCommit {
            journal,
            timeout: Duration::from_secs(30),
        }
    }

    /// How long each participant has to answer a phase; one that does not is a no vote.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The journal.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// Runs transaction `gid`: every participant prepares; if all vote yes, *commit* is
    /// logged and then announced, otherwise every one is rolled back.
    ///
    /// # Errors
    ///
    /// [`CommitError::Duplicate`] for an id seen before; [`CommitError::Store`] when the log
    /// fails (before a commit is logged nothing is committed); [`CommitError::Unfinished`]
    /// when a participant did not apply the decision — [`TwoPhaseCommit::recover`] tells it
    /// again.
    pub async fn run(
        &self,
        gid: &Gid,
        participants: &[&dyn Participant],
    ) -> Result<Decision, CommitError> {
        if !self.journal.read(STREAM, gid.as_str()).await?.is_empty() {
            return Err(CommitError::Duplicate(gid.to_string()));
        }
        self.journal.append(STREAM, gid.as_str(), "begun").await?;
        let mut state = Coordinator::initial();
        let mut cx = CoordinatorCx::new(participants.len());
        let _ = state.fire(&CoordinatorEvent::Begin, &mut cx);
        let prepares = core::mem::take(&mut cx.effects);
        for effect in prepares {
            let Effect::Deliver(peer, ToParticipant::Prepare) = effect else {
                continue;
            };
            let vote = match timed(self.timeout, participants[peer].prepare(gid)).await {
                Some(Ok(yes)) => yes,
                Some(Err(_)) | None => false,
            };
            let _ = state.fire(
                &CoordinatorEvent::Vote {
                    from: peer,
                    yes: vote,
                },
                &mut cx,
            );
            if state != Coordinator::Collecting {
                break;
            }
        }
        if state == Coordinator::Collecting {
            let _ = state.fire(&CoordinatorEvent::Timeout, &mut cx);
        }
        let decision = cx.decision.unwrap_or(Decision::Abort);
        self.apply(
            gid,
            participants,
            decision,
            core::mem::take(&mut cx.effects),
        )
        .await
    }

    /// Carries out a decision's effects: the log write first, then the messages.
    async fn apply(
        &self,
        gid: &Gid,
        participants: &[&dyn Participant],
        decision: Decision,
        effects: Vec<Effect<ToParticipant>>,
    ) -> Result<Decision, CommitError> {
        let mut failed = Vec::new();
        for effect in effects {
            match effect {
                Effect::Log(logged) => {
                    let entry = match logged {
                        Decision::Commit => "commit",
                        Decision::Abort => "abort",
                    };
                    self.journal.append(STREAM, gid.as_str(), entry).await?;
                }
                Effect::Deliver(peer, message) => {
                    let participant = participants[peer];
                    let done = match message {
                        ToParticipant::Commit => timed(self.timeout, participant.commit(gid)).await,
                        ToParticipant::Abort => {
                            timed(self.timeout, participant.rollback(gid)).await
                        }
                        ToParticipant::Prepare => continue,
                    };
                    match done {
                        Some(Ok(())) => {}
                        Some(Err(error)) => failed.push((participant.name().to_owned(), error.0)),
                        None => failed.push((participant.name().to_owned(), "timed out".into())),
                    }
                }
            }
        }
        if failed.is_empty() {
            self.journal
                .set_state(STREAM, gid.as_str(), KeyState::Closed)
                .await?;
            Ok(decision)
        } else {
            Err(CommitError::Unfinished { decision, failed })
        }
    }

    /// What was decided for `gid`: *commit* only if the log says so (presumed abort).
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`] when the log cannot be read.
    pub async fn outcome(&self, gid: &Gid) -> Result<Decision, CommitError> {
        let entries = self.journal.read(STREAM, gid.as_str()).await?;
        Ok(if entries.iter().any(|e| e == "commit") {
            Decision::Commit
        } else {
            Decision::Abort
        })
    }

    /// Finishes every transaction a crash left in doubt: each one this log began that a
    /// participant holds prepared, and each the log has not closed, is committed where the
    /// log says commit and rolled back otherwise (transactions of other coordinators are left
    /// alone). Returns what it finished.
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`], or [`CommitError::Unfinished`] for participants that still
    /// did not apply a decision.
    pub async fn recover(
        &self,
        participants: &[&dyn Participant],
    ) -> Result<Vec<(Gid, Decision)>, CommitError> {
        let mut gids: Vec<Gid> = Vec::new();
        for key in self.journal.keys(STREAM, KeyState::Open).await? {
            if let Ok(gid) = Gid::new(&key) {
                gids.push(gid);
            }
        }
        // A participant may hold transactions of other coordinators: only those this log
        // began are finished here (every run logs `begun` before the first prepare).
        for participant in participants {
            if let Ok(held) = participant.in_doubt().await {
                for gid in held {
                    if !self.journal.read(STREAM, gid.as_str()).await?.is_empty() {
                        gids.push(gid);
                    }
                }
            }
        }
        gids.sort();
        gids.dedup();
        let mut finished = Vec::new();
        let mut failed = Vec::new();
        for gid in gids {
            let decision = self.outcome(&gid).await?;
            let (_, mut cx) = Coordinator::recover(Some(decision), participants.len());
            match self
                .apply(
                    &gid,
                    participants,
                    decision,
                    core::mem::take(&mut cx.effects),
                )
                .await
            {
                Ok(decision) => finished.push((gid, decision)),
                Err(CommitError::Unfinished { failed: more, .. }) => failed.extend(more),
                Err(other) => return Err(other),
            }
        }
        if failed.is_empty() {
            Ok(finished)
        } else {
            Err(CommitError::Unfinished {
                decision: Decision::Abort,
                failed,
            })
        }
    }
}

/// `future`'s output, or `None` after `limit`.
async fn timed<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    patternkit_core::time::timeout(Some(limit), future).await
}
