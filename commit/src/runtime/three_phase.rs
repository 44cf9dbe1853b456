//! Running three-phase commit for real: the [`three_phase`](crate::three_phase) coordinator
//! driven against [`ThreePhaseParticipant`]s, logging to a [`Journal`].

use std::time::Duration;

use patternkit_core::store::Journal;

use super::{
    CommitError, DEFAULT_TIMEOUT, Gid, Holder, ParticipantFuture, Running, begin, carry_out,
    decide, deliver, delivered, hold_for_recovery, let_go, logged, poll_all, settle, take_log,
    unfinished,
};
use crate::three_phase::{
    Coordinator, CoordinatorCx, CoordinatorEvent, Participant, ToParticipant,
};
use crate::{Decision, Effect};

/// One participant of a three-phase commit.
///
/// Its states are those of [`three_phase::Participant`](crate::three_phase::Participant), a
/// state machine ready to drive one. That machine also says what a participant does when its
/// own clock runs out — abort while uncertain, commit once pre-committed — which finishes a
/// transaction without the coordinator, and is unsafe when a `PreCommit` reached only some
/// participants (a partition, or a coordinator that died while sending them): the crate's
/// exhaustive search finds that run. [`ThreePhaseCommit::recover`] instead asks every
/// participant's [`state`](ThreePhaseParticipant::state) and decides for all of them.
pub trait ThreePhaseParticipant: Send + Sync {
    /// A name for messages.
    fn name(&self) -> &str;

    /// Votes on `gid`: `Ok(true)` when its work can commit.
    fn can_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool>;

    /// Everyone voted yes: from now on, silence means commit.
    fn pre_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()>;

    /// Commits. Committing one already committed is not an error.
    fn do_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()>;

    /// Aborts. Aborting one unknown or aborted is not an error.
    fn abort<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()>;

    /// Where it stands on `gid` (`Working` for one it never heard of): what the termination
    /// protocol of [`ThreePhaseCommit::recover`] decides from.
    fn state<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, Participant>;
}

const STREAM: &str = "3pc";

/// Runs three-phase commit over participants, deciding with the three-phase [`Coordinator`]
/// machine and logging to a journal.
///
/// Safe when processes crash and messages are late; **not** when the network partitions
/// (see [`three_phase`](crate::three_phase)). Prefer [`TwoPhaseCommit`](crate::TwoPhaseCommit)
/// unless blocking on a crashed coordinator is the greater risk.
pub struct ThreePhaseCommit<J> {
    journal: J,
    timeout: Duration,
    holder: Holder,
}

impl<J: Journal> ThreePhaseCommit<J> {
    /// A coordinator logging to `journal`; each phase waits at most 30 s.
    pub fn new(journal: J) -> Self {
        ThreePhaseCommit {
            journal,
            timeout: DEFAULT_TIMEOUT,
            holder: Holder::default(),
        }
    }

    /// How long each participant has to answer a phase. It should be shorter than the
    /// participants' own timeouts, or they decide before the coordinator does.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Keeps other nodes' recovery off each transaction this coordinator runs for `lease`
    /// after it begins: long enough for the votes and the pre-commits (three times the
    /// timeout is). As [`TwoPhaseCommit::lease`](crate::TwoPhaseCommit::lease): without one
    /// (the default) only recovery in this process leaves it alone, and a coordinator that
    /// finds another decision logged first finishes the transaction as recovery does.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.holder.lease = lease;
        self
    }

    /// The name of this coordinator's node, under which its leases are taken: as
    /// [`TwoPhaseCommit::node`](crate::TwoPhaseCommit::node).
    #[must_use]
    pub fn node(mut self, name: impl Into<String>) -> Self {
        self.holder.node = Some(name.into());
        self
    }

    /// The journal.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// Runs transaction `gid`: `CanCommit` to everyone; if all vote yes, `PreCommit`; if all
    /// acknowledge, *commit* is logged and `DoCommit` sent. A no vote, a
    /// failure or a timeout before that aborts.
    ///
    /// # Errors
    ///
    /// As [`TwoPhaseCommit::run`](crate::TwoPhaseCommit::run).
    pub async fn run(
        &self,
        gid: &Gid,
        participants: &[&dyn ThreePhaseParticipant],
    ) -> Result<Decision, CommitError> {
        let holder = &self.holder;
        let Some(_running) = Running::enter(holder.node(), STREAM, gid) else {
            return Err(CommitError::Duplicate(gid.to_string()));
        };
        let leased_at = begin(&self.journal, STREAM, gid, participants.len(), holder).await?;
        let mut state = Coordinator::initial();
        let mut cx = CoordinatorCx::new(participants.len());
        let _ = state.fire(&CoordinatorEvent::Begin, &mut cx);
        let asked = delivered(&mut cx.effects, &ToParticipant::CanCommit);
        let votes = poll_all(
            self.timeout,
            asked
                .iter()
                .map(|&peer| participants[peer].can_commit(gid))
                .collect(),
        )
        .await;
        for (&peer, yes) in asked.iter().zip(votes) {
            let _ = state.fire(&CoordinatorEvent::Vote { from: peer, yes }, &mut cx);
            if state != Coordinator::Collecting {
                break;
            }
        }
        if state == Coordinator::Collecting {
            let _ = state.fire(&CoordinatorEvent::Timeout, &mut cx);
        }
        if state == Coordinator::PreCommitting {
            let asked = delivered(&mut cx.effects, &ToParticipant::PreCommit);
            let calls = asked
                .iter()
                .map(|&peer| {
                    let participant = participants[peer];
                    (participant.name(), participant.pre_commit(gid))
                })
                .collect();
            let failed = deliver(self.timeout, calls).await;
            for &peer in &asked {
                let name = participants[peer].name();
                if failed.iter().all(|(who, _)| who != name) {
                    let _ = state.fire(&CoordinatorEvent::PreAck { from: peer }, &mut cx);
                }
            }
            if state == Coordinator::PreCommitting {
                let _ = state.fire(&CoordinatorEvent::Timeout, &mut cx);
            }
        }
        let decision = cx.decision.unwrap_or(Decision::Abort);
        let mut effects = core::mem::take(&mut cx.effects);
        // The decision is logged before anyone hears it. Recovery may have logged one first,
        // after this coordinator's lease lapsed: then the transaction is finished its way.
        let leased = (!holder.lease.is_zero()).then_some((leased_at, holder.lease));
        let outcome = if take_log(&mut effects)
            && decide(&self.journal, STREAM, gid, decision, leased).await? != decision
        {
            self.finish(gid, participants).await
        } else {
            self.apply(gid, participants, decision, effects).await
        };
        if outcome.is_err() {
            let _ = let_go(&self.journal, STREAM, gid, holder).await;
        }
        outcome
    }

    /// Carries out a decision's effects: the log write first, then the messages.
    async fn apply(
        &self,
        gid: &Gid,
        participants: &[&dyn ThreePhaseParticipant],
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
                    ToParticipant::DoCommit => {
                        Some((participant.name(), participant.do_commit(gid)))
                    }
                    ToParticipant::Abort => Some((participant.name(), participant.abort(gid))),
                    ToParticipant::CanCommit | ToParticipant::PreCommit => None,
                }
            },
        )
        .await
    }

    /// What the log says was decided for `gid`; `None` before a decision was logged (then
    /// only the participants' states tell, see [`recover`](ThreePhaseCommit::recover)).
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`] when the log cannot be read.
    pub async fn outcome(&self, gid: &Gid) -> Result<Option<Decision>, CommitError> {
        logged(&self.journal, STREAM, gid).await
    }

    /// The transactions this log began and has not closed: those a coordinator is running
    /// now, and those a crash left for [`recover`](ThreePhaseCommit::recover) — including any it
    /// passed over because another coordinator's lease on them had not lapsed yet. Empty
    /// once everything begun here has ended.
    ///
    /// ```
    /// use patternkit::commit::ThreePhaseCommit;
    /// use patternkit::cqrs::block_on;
    /// use patternkit::store::MemoryJournal;
    ///
    /// let coordinator = ThreePhaseCommit::new(MemoryJournal::new());
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

    /// Finishes every transaction this log began and did not close, except those a
    /// coordinator is still running (their lease is held; see
    /// [`pending`](ThreePhaseCommit::pending)). A logged decision is told to
    /// everyone; without one, the participants are asked where they stand and the
    /// termination protocol decides: *commit* if one committed, else *abort* if one aborted,
    /// else *commit* if one is pre-committed (the others are pre-committed first), else
    /// *abort*. Returns what it finished.
    ///
    /// # Errors
    ///
    /// [`CommitError::Store`], or [`CommitError::Unfinished`] for participants that could
    /// not be told.
    pub async fn recover(
        &self,
        participants: &[&dyn ThreePhaseParticipant],
    ) -> Result<Vec<(Gid, Decision)>, CommitError> {
        let holder = &self.holder;
        let mut outcomes = Vec::new();
        for gid in unfinished(&self.journal, STREAM, Vec::new()).await? {
            if !hold_for_recovery(&self.journal, STREAM, &gid, holder).await? {
                continue;
            }
            let outcome = self.finish(&gid, participants).await;
            let_go(&self.journal, STREAM, &gid, holder).await?;
            outcomes.push((gid, outcome));
        }
        settle(outcomes)
    }

    /// Finishes one transaction as recovery does: the logged decision, or the termination
    /// protocol's, logged first (and then the first one logged stands).
    async fn finish(
        &self,
        gid: &Gid,
        participants: &[&dyn ThreePhaseParticipant],
    ) -> Result<Decision, CommitError> {
        let mut states = Vec::with_capacity(participants.len());
        for participant in participants {
            states.push(participant.state(gid).await.ok());
        }
        let decision = match self.outcome(gid).await? {
            Some(decision) => decision,
            // Decided here: logged before anyone hears it, as in `run`.
            None => decide(&self.journal, STREAM, gid, terminate(&states), None).await?,
        };
        let mut not_pre_committed = Vec::new();
        if decision == Decision::Commit {
            // Uncertain participants ignore `DoCommit`: they are pre-committed first.
            let uncertain = |s: &Option<Participant>| {
                matches!(s, Some(Participant::Working | Participant::Uncertain))
            };
            let calls = (0..participants.len())
                .filter(|&peer| uncertain(&states[peer]))
                .map(|peer| {
                    let participant = participants[peer];
                    (participant.name(), participant.pre_commit(gid))
                })
                .collect();
            not_pre_committed = deliver(self.timeout, calls).await;
        }
        let message = match decision {
            Decision::Commit => ToParticipant::DoCommit,
            Decision::Abort => ToParticipant::Abort,
        };
        let effects = (0..participants.len())
            .map(|peer| Effect::Deliver(peer, message))
            .collect();
        match self.apply(gid, participants, decision, effects).await {
            Ok(decision) if not_pre_committed.is_empty() => Ok(decision),
            Ok(decision) => Err(CommitError::Unfinished {
                decision,
                failed: not_pre_committed,
            }),
            Err(CommitError::Unfinished {
                decision,
                mut failed,
            }) => {
                failed.extend(not_pre_committed);
                Err(CommitError::Unfinished { decision, failed })
            }
            Err(other) => Err(other),
        }
    }
}

/// The termination protocol's decision from the states of the participants that answered.
fn terminate(states: &[Option<Participant>]) -> Decision {
    let any = |state: Participant| states.contains(&Some(state));
    if any(Participant::Committed) {
        Decision::Commit
    } else if any(Participant::Aborted) {
        Decision::Abort
    } else if any(Participant::PreCommitted) {
        Decision::Commit
    } else {
        Decision::Abort
    }
}
