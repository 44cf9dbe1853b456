//! Running two-phase commit for real: the [`two_phase`](crate::two_phase) machines driven
//! against [`Participant`]s (databases, services) with the decision written to a
//! [`Journal`] before anyone hears it.

use std::time::Duration;

use patternkit_core::store::Journal;

use super::{
    CommitError, DEFAULT_TIMEOUT, Gid, Holder, ParticipantFuture, Running, begin, carry_out,
    decide, delivered, hold_for_recovery, let_go, logged, poll_all, settle, take_log, unfinished,
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
    holder: Holder,
}

impl<J: Journal> TwoPhaseCommit<J> {
    /// A coordinator logging its decisions to `journal`; each phase waits at most 30 s.
    pub fn new(journal: J) -> Self {
        TwoPhaseCommit {
            journal,
            timeout: DEFAULT_TIMEOUT,
            holder: Holder::default(),
        }
    }

    /// How long each participant has to answer a phase; one that does not is a no vote.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Keeps other nodes' recovery off each transaction this coordinator runs for `lease`
    /// after it begins: long enough to collect the votes (twice the timeout is). Without
    /// one (the default, which spares a log write per transaction), only recovery in this
    /// process leaves a running transaction alone; recovery on another node may decide
    /// *abort* first, and the coordinator then carries that out, so every participant
    /// still ends the same way. With one, another node's recovery waits until it expired,
    /// so a coordinator that crashed has its transactions finished then; the same node
    /// restarted (see [`node`](Self::node)) finishes them at once. If the lease lapses
    /// before the decision is logged (a stalled process), the first decision logged stands
    /// as without one.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.holder.lease = lease;
        self
    }

    /// The name of this coordinator's node, under which its [`lease`](Self::lease)s are
    /// taken; recovery under the same name takes over its transactions at once, without
    /// waiting for their leases (by default, a name unique to the process). Give each
    /// process sharing a log its own name, stable across restarts, so that a restarted
    /// process finishes what it left at once and never what another live one is running.
    #[must_use]
    pub fn node(mut self, name: impl Into<String>) -> Self {
        self.holder.node = Some(name.into());
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
    /// [`CommitError::Duplicate`] for an id seen before or running; [`CommitError::Store`] when the log
    /// fails (before a commit is logged nothing is committed); [`CommitError::Unfinished`]
    /// when a participant did not apply the decision — [`TwoPhaseCommit::recover`] tells it
    /// again.
    pub async fn run(
        &self,
        gid: &Gid,
        participants: &[&dyn Participant],
    ) -> Result<Decision, CommitError> {
        let holder = &self.holder;
        let Some(_running) = Running::enter(holder.node(), STREAM, gid) else {
            return Err(CommitError::Duplicate(gid.to_string()));
        };
        let leased_at = begin(&self.journal, STREAM, gid, participants.len(), holder).await?;
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
        let mut decision = cx.decision.unwrap_or(Decision::Abort);
        let mut effects = core::mem::take(&mut cx.effects);
        // A commit is logged before anyone hears it; an abort needs no entry (presumed
        // abort). Recovery may have decided abort first, after this coordinator's lease lapsed.
        if take_log(&mut effects) {
            let leased = (!holder.lease.is_zero()).then_some((leased_at, holder.lease));
            decision = decide(&self.journal, STREAM, gid, decision, leased).await?;
            if decision != Decision::Commit {
                let (_, mut told) = Coordinator::recover(Some(decision), participants.len());
                effects = core::mem::take(&mut told.effects);
            }
        }
        let outcome = self.apply(gid, participants, decision, effects).await;
        if outcome.is_err() {
            // Another node's recovery need not wait for the lease to tell them again.
            let _ = let_go(&self.journal, STREAM, gid, holder).await;
        }
        outcome
    }

    /// Carries out a decision's messages.
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
        Ok(logged(&self.journal, STREAM, gid)
            .await?
            .unwrap_or(Decision::Abort))
    }

    /// The transactions this log began and has not closed: those a coordinator is running
    /// now, and those a crash left for [`recover`](TwoPhaseCommit::recover) — including any it
    /// passed over because another coordinator's lease on them had not lapsed yet. Empty
    /// once everything begun here has ended.
    ///
    /// ```
    /// use patternkit::commit::TwoPhaseCommit;
    /// use patternkit::cqrs::block_on;
    /// use patternkit::store::MemoryJournal;
    ///
    /// let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    /// assert!(block_on(coordinator.pending())?.is_empty()); // nothing begun, nothing open
    /// # Ok::<(), patternkit::commit::CommitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`] when the log cannot be read.
    pub async fn pending(&self) -> Result<Vec<Gid>, CommitError> {
        unfinished(&self.journal, STREAM, Vec::new()).await
    }

    /// Finishes every transaction a crash left in doubt: each one this log began that a
    /// participant holds prepared, and each the log has not closed, is committed where the
    /// log says commit and rolled back otherwise (transactions of other coordinators are left
    /// alone, and so are those a coordinator is still running: their lease is held; see
    /// [`pending`](TwoPhaseCommit::pending)). A
    /// transaction without a decision is logged *abort* before anyone is told. Returns what
    /// it finished.
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
        let holder = &self.holder;
        let mut outcomes = Vec::new();
        for gid in gids {
            if !hold_for_recovery(&self.journal, STREAM, &gid, holder).await? {
                continue;
            }
            let decision = match logged(&self.journal, STREAM, &gid).await? {
                Some(decision) => decision,
                None => decide(&self.journal, STREAM, &gid, Decision::Abort, None).await?,
            };
            let (_, mut cx) = Coordinator::recover(Some(decision), participants.len());
            let effects = core::mem::take(&mut cx.effects);
            let outcome = self.apply(&gid, participants, decision, effects).await;
            let_go(&self.journal, STREAM, &gid, holder).await?;
            outcomes.push((gid, outcome));
        }
        settle(outcomes)
    }
}
