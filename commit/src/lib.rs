//! Two-phase and three-phase commit, written as patternkit state machines.
//!
//! Each protocol is two `#[derive(StateMachine)]` enums — the coordinator and a participant
//! — whose actions do not talk to anything: they append [`Effect`]s (write the decision to
//! the log, send a message) to their context. The same step functions are driven by the
//! runtime and by the exhaustive search in this crate's tests, which explores every
//! interleaving of messages (lost, duplicated, reordered), crashes and timeouts for one
//! coordinator and three participants.
//!
//! - [`two_phase`]: **2PC** with presumed abort. Consistent under any of those faults; a
//!   participant that voted yes blocks until it learns the decision.
//! - [`three_phase`]: **3PC** (`CanCommit`, `PreCommit`, `DoCommit`). Participants finish without
//!   the coordinator by timing out — and under a network partition that makes some commit
//!   while others abort. The search finds that run; it is kept as a test, the proof of the
//!   caveat.
//!
//! Running them for real: [`TwoPhaseCommit`] over [`Participant`]s (PostgreSQL, MariaDB and a
//! SQLite file have one each) and [`ThreePhaseCommit`] over [`ThreePhaseParticipant`]s. Each
//! phase asks every participant at once and waits at most its timeout; the decision is
//! written to a [`Journal`](patternkit_core::store::Journal) before anyone hears it, and
//! `recover` finishes whatever a crash left in doubt.

mod runtime;
pub mod three_phase;
pub mod two_phase;

pub use runtime::{
    CommitError, Gid, Participant, ParticipantError, ParticipantFuture, ThreePhaseCommit,
    ThreePhaseParticipant, TwoPhaseCommit,
};

/// Which participant a message is for or from, by position.
pub type Peer = usize;

/// The outcome the coordinator decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    /// Every participant makes its work permanent.
    Commit,
    /// Every participant undoes its work.
    Abort,
}

/// What a step asks the world to do, in order: a decision is written before any message
/// that announces it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect<M> {
    /// Write the decision durably (the coordinator's log).
    Log(Decision),
    /// Deliver `M` to participant `Peer` (from the coordinator) or to the coordinator (from a
    /// participant, `Peer` being the sender).
    Deliver(Peer, M),
}

/// What a coordinator remembers of one transaction, and what its last step asks of the
/// world: the context of both protocols' coordinator machines.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Round<M> {
    /// How many participants there are (at most 64).
    pub participants: usize,
    /// Who voted yes (one bit each).
    pub yes: u64,
    /// Who acknowledged the `PreCommit` (three-phase commit only).
    pub pre_acked: u64,
    /// Who acknowledged the decision.
    pub acked: u64,
    /// The decision, once made.
    pub decision: Option<Decision>,
    /// What the steps asked for, in order; the caller takes them out.
    pub effects: Vec<Effect<M>>,
}

impl<M: Copy> Round<M> {
    /// A transaction over `participants` participants (at most 64).
    #[must_use]
    pub fn new(participants: usize) -> Self {
        Round {
            participants: participants.min(64),
            yes: 0,
            pre_acked: 0,
            acked: 0,
            decision: None,
            effects: Vec::new(),
        }
    }

    /// Whether `set` with `peer` added is every participant.
    pub(crate) fn completes(&self, set: u64, peer: Peer) -> bool {
        set | bit(peer) == all(self.participants)
    }

    /// Sends `message` to every participant not in `skip`.
    pub(crate) fn send_all(&mut self, message: M, skip: u64) {
        for peer in 0..self.participants {
            if skip & bit(peer) == 0 {
                self.effects.push(Effect::Deliver(peer, message));
            }
        }
    }
}

/// Participant `peer`'s bit in a set of participants.
pub(crate) fn bit(peer: Peer) -> u64 {
    1u64.checked_shl(u32::try_from(peer).unwrap_or(u32::MAX))
        .unwrap_or(0)
}

/// The set of all `participants` (at most 64).
fn all(participants: usize) -> u64 {
    if participants >= 64 {
        u64::MAX
    } else {
        (1u64 << participants) - 1
    }
}

// What `#[derive(StateMachine)]` names, for the machines of this crate.
#[doc(hidden)]
pub mod __private {
    pub use patternkit_core::__private::{InitialData, MachineLog, MachineLogger, StateData};
    pub use patternkit_core::state_machine::FireError;
    pub use patternkit_core::{
        Fired, InvalidTransition, MachineTable, Rejection, StateMachine, TransitionInfo,
    };
}
