//! Running the protocols for real: the machines driven against participants (databases,
//! services), each phase's messages sent to all participants at once, with the decision
//! written to a [`Journal`] before anyone hears it.

mod error;
mod gid;
mod holder;
mod join;
mod three_phase;
mod two_phase;

use core::future::Future;
use core::pin::Pin;
use std::time::{Duration, Instant};

use patternkit_core::store::{Journal, KeyState};

use crate::Effect;

use holder::{Holder, Running, hold_for_recovery, let_go};

pub use error::{CommitError, ParticipantError};
pub use gid::Gid;
pub use three_phase::{ThreePhaseCommit, ThreePhaseParticipant};
pub use two_phase::{Participant, TwoPhaseCommit};

use crate::Decision;

/// A participant's future.
pub type ParticipantFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ParticipantError>> + Send + 'a>>;

/// How long each phase waits for a participant unless told otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The log entry of a decision.
fn entry(decision: Decision) -> &'static str {
    match decision {
        Decision::Commit => "commit",
        Decision::Abort => "abort",
    }
}

/// Refuses what cannot run before anything is written: a participant count the machines
/// cannot track, an id another node is running (its lease held) or one the log has seen.
/// Then takes the id's lease, which keeps other nodes' recovery off the transaction until it
/// is decided, and logs `begun`, so that recovery knows the transaction is this log's.
/// Returns when the lease was taken.
async fn begin<J: Journal>(
    journal: &J,
    stream: &str,
    gid: &Gid,
    participants: usize,
    holder: &Holder,
) -> Result<Instant, CommitError> {
    if participants == 0 || participants > 64 {
        return Err(CommitError::Participants(participants));
    }
    let leased_at = Instant::now();
    if !holder.lease.is_zero()
        && !journal
            .lease(stream, gid.as_str(), holder.node(), holder.lease)
            .await?
    {
        return Err(CommitError::Duplicate(gid.to_string()));
    }
    if !journal.read(stream, gid.as_str()).await?.is_empty() {
        // Not ours: the lease just taken would keep recovery off another's transaction.
        let_go(journal, stream, gid, holder).await?;
        return Err(CommitError::Duplicate(gid.to_string()));
    }
    journal.append(stream, gid.as_str(), "begun").await?;
    Ok(leased_at)
}

/// The decision that stands in a log: the first one written.
fn first_decision(entries: &[String]) -> Option<Decision> {
    entries.iter().find_map(|e| match e.as_str() {
        "commit" => Some(Decision::Commit),
        "abort" => Some(Decision::Abort),
        _ => None,
    })
}

/// What the log of `gid` says was decided, if anything.
async fn logged<J: Journal>(
    journal: &J,
    stream: &str,
    gid: &Gid,
) -> Result<Option<Decision>, CommitError> {
    Ok(first_decision(&journal.read(stream, gid.as_str()).await?))
}

/// Logs `decision` for `gid` and returns the decision that stands: the first in the log.
/// While the lease taken at `leased_at` is held nobody else can have decided, and the log
/// is not read back. Otherwise a recovery may have decided too; the log gives a key's
/// entries one order, so both read back the same first decision and act on it.
async fn decide<J: Journal>(
    journal: &J,
    stream: &str,
    gid: &Gid,
    decision: Decision,
    leased: Option<(Instant, Duration)>,
) -> Result<Decision, CommitError> {
    journal
        .append(stream, gid.as_str(), entry(decision))
        .await?;
    if leased.is_some_and(|(at, lease)| at.elapsed() < lease) {
        return Ok(decision);
    }
    Ok(logged(journal, stream, gid).await?.unwrap_or(decision))
}

/// The transactions recovery must finish: those the log has not closed, and those a
/// participant holds in doubt that this log began (a participant may hold other
/// coordinators' transactions; those are left alone).
async fn unfinished<J: Journal>(
    journal: &J,
    stream: &str,
    held: Vec<Gid>,
) -> Result<Vec<Gid>, CommitError> {
    let mut gids: Vec<Gid> = Vec::new();
    for key in journal.keys(stream, KeyState::Open).await? {
        if let Ok(gid) = Gid::new(&key) {
            gids.push(gid);
        }
    }
    for gid in held {
        if !journal.read(stream, gid.as_str()).await?.is_empty() {
            gids.push(gid);
        }
    }
    gids.sort();
    gids.dedup();
    Ok(gids)
}

/// `future`'s output, or `None` after `limit`.
async fn timed<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    patternkit_core::time::timeout(Some(limit), future).await
}

/// Sends one phase's messages to every participant at once, each given `limit` to answer;
/// returns who did not (name, why).
async fn deliver<'a>(
    limit: Duration,
    calls: Vec<(&'a str, ParticipantFuture<'a, ()>)>,
) -> Vec<(String, String)> {
    let (names, calls): (Vec<&str>, Vec<_>) = calls.into_iter().unzip();
    let done = join::join_all(
        calls
            .into_iter()
            .map(
                |call| -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
                    Box::pin(async move { answer(timed(limit, call).await) })
                },
            )
            .collect(),
    )
    .await;
    names
        .into_iter()
        .zip(done)
        .filter_map(|(name, done)| done.err().map(|why| (name.to_owned(), why)))
        .collect()
}

/// Takes a machine's log writes out of its effects: whether it asked for its decision to be
/// logged. The protocols log it with [`decide`], which may find another decision first.
fn take_log<M>(effects: &mut Vec<Effect<M>>) -> bool {
    let before = effects.len();
    effects.retain(|effect| !matches!(effect, Effect::Log(_)));
    effects.len() != before
}

/// Carries out a decided transaction's messages, all at once (`call` turns one into a
/// participant's call, or `None` for one that is not sent at this stage); closes the
/// transaction in the log once all were applied.
async fn carry_out<'a, J: Journal, M>(
    journal: &J,
    stream: &str,
    gid: &Gid,
    limit: Duration,
    decision: Decision,
    effects: Vec<Effect<M>>,
    mut call: impl FnMut(usize, M) -> Option<(&'a str, ParticipantFuture<'a, ()>)>,
) -> Result<Decision, CommitError> {
    let told = effects
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Deliver(peer, message) => call(peer, message),
            Effect::Log(_) => None,
        })
        .collect();
    let failed = deliver(limit, told).await;
    if failed.is_empty() {
        journal
            .set_state(stream, gid.as_str(), KeyState::Closed)
            .await?;
        Ok(decision)
    } else {
        Err(CommitError::Unfinished { decision, failed })
    }
}

/// The participants a machine's last step addressed with `message`, taking those effects out.
fn delivered<M: PartialEq>(effects: &mut Vec<Effect<M>>, message: &M) -> Vec<usize> {
    let mut peers = Vec::new();
    effects.retain(|effect| match effect {
        Effect::Deliver(peer, sent) if sent == message => {
            peers.push(*peer);
            false
        }
        _ => true,
    });
    peers
}

/// Recovery's summary of finishing each transaction: what was finished, or every participant
/// that still did not apply its decision.
fn settle(
    outcomes: Vec<(Gid, Result<Decision, CommitError>)>,
) -> Result<Vec<(Gid, Decision)>, CommitError> {
    let mut finished = Vec::new();
    let mut failed = Vec::new();
    for (gid, outcome) in outcomes {
        match outcome {
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

/// Gathers every participant's yes or no at once; a participant that fails or stays
/// silent past `limit` answers `false`.
async fn poll_all<'a>(limit: Duration, calls: Vec<ParticipantFuture<'a, bool>>) -> Vec<bool> {
    join::join_all(
        calls
            .into_iter()
            .map(|call| -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
                Box::pin(async move { answer(timed(limit, call).await).unwrap_or(false) })
            })
            .collect(),
    )
    .await
}

/// What one participant did with a phase's message: done, failed, or silent past the
/// timeout.
fn answer<T>(done: Option<Result<T, ParticipantError>>) -> Result<T, String> {
    match done {
        Some(Ok(value)) => Ok(value),
        Some(Err(error)) => Err(error.0),
        None => Err("timed out".into()),
    }
}
