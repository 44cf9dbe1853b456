//! Running two-phase commit for real: the [`two_phase`](crate::two_phase) machines driven
//! against [`Participant`]s (databases, services) with the decision written to a
//! [`Journal`] before anyone hears it.

use std::time::Duration;

use patternkit_core::store::Journal;

use super::{
    CommitError, DEFAULT_TIMEOUT, Gid, ParticipantFuture, begin, carry_out, delivered, logged,
    poll_all, settle, unfinished,
};
use crate::two_phase::{Coordinator, CoordinatorCx, CoordinatorEvent, ToParticipant};
use crate::{Decision, Effect};

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
            timeout: DEFAULT_TIMEOUT,
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
        begin(&self.journal, STREAM, gid, participants.len()).await?;
        let mut state = Coordinator::initial();
        let mut cx = CoordinatorCx::new(participants.len());
        let _ = state.fire(&CoordinatorEvent::Begin, &mut cx);
        // Every participant prepares at once; a silent one is a no vote after the timeout.
        let asked = delivered(&mut cx.effects, &ToParticipant::Prepare);
        let votes = poll_all(
            self.timeout,
            asked
                .iter()
                .map(|&peer| participants[peer].prepare(gid))
                .collect(),
        )
        .await;
        for (&peer, vote) in asked.iter().zip(votes) {
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
        carry_out(
            &self.journal,
            STREAM,
            gid,
            self.timeout,
            decision,
            effects,
            |peer, message| {
                let participant = participants[peer];
                match message {
                    ToParticipant::Commit => Some((participant.name(), participant.commit(gid))),
                    ToParticipant::Abort => Some((participant.name(), participant.rollback(gid))),
                    ToParticipant::Prepare => None,
                }
            },
        )
        .await
    }

    /// What was decided for `gid`: *commit* only if the log says so (presumed abort).
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`] when the log cannot be read.
    pub async fn outcome(&self, gid: &Gid) -> Result<Decision, CommitError> {
        logged(&self.journal, STREAM, gid).await
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
        let mut held = Vec::new();
        for participant in participants {
            if let Ok(gids) = participant.in_doubt().await {
                held.extend(gids);
            }
        }
        let gids = unfinished(&self.journal, STREAM, held).await?;
        let mut outcomes = Vec::new();
        for gid in gids {
            let decision = self.outcome(&gid).await?;
            let (_, mut cx) = Coordinator::recover(Some(decision), participants.len());
            let effects = core::mem::take(&mut cx.effects);
            let outcome = self.apply(&gid, participants, decision, effects).await;
            outcomes.push((gid, outcome));
        }
        settle(outcomes)
    }
}
