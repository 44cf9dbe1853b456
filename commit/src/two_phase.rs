//! Two-phase commit with presumed abort: the coordinator asks every participant to
//! prepare; if all vote yes it writes *commit* to its log and then tells them, otherwise it
//! tells them to abort. No record means abort, so an abort needs no log write.
//!
//! ```
//! use patternkit_commit::two_phase::{Coordinator, CoordinatorEvent, Participant};
//!
//! // The protocol's own diagrams, drawn by the state machines that run it.
//! assert!(Coordinator::to_mermaid().contains("Collecting --> Committing"));
//! assert!(Participant::to_mermaid().contains("Prepared --> Committed"));
//! let mut coordinator = Coordinator::initial();
//! let mut cx = patternkit_commit::two_phase::CoordinatorCx::new(3);
//! coordinator.fire(&CoordinatorEvent::Begin, &mut cx).unwrap();
//! assert_eq!(cx.effects.len(), 3); // a Prepare to each participant
//! ```

// Guards take the state by reference, as `#[derive(StateMachine)]` calls them.
#![allow(clippy::trivially_copy_pass_by_ref)]

use patternkit_macros::StateMachine;

use crate::{Decision, Effect, Peer};

/// What the coordinator sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ToParticipant {
    /// Vote: can you commit?
    Prepare,
    /// The decision is commit.
    Commit,
    /// The decision is abort.
    Abort,
}

/// What happens to the coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoordinatorEvent {
    /// Start the transaction.
    Begin,
    /// A participant's vote arrived.
    Vote {
        /// Who voted.
        from: Peer,
        /// Yes (prepared) or no.
        yes: bool,
    },
    /// A participant applied the decision.
    Ack {
        /// Who.
        from: Peer,
    },
    /// A participant that voted yes and heard nothing asks for the outcome.
    Query {
        /// Who.
        from: Peer,
    },
    /// Waited too long for votes or acknowledgements.
    Timeout,
}

/// The coordinator's memory of one transaction, and what its last step asks of the world.
pub type CoordinatorCx = crate::Round<ToParticipant>;

fn voted_no(_: &Coordinator, event: &CoordinatorEvent, _: &CoordinatorCx) -> bool {
    matches!(event, CoordinatorEvent::Vote { yes: false, .. })
}

fn last_yes(_: &Coordinator, event: &CoordinatorEvent, cx: &CoordinatorCx) -> bool {
    match event {
        CoordinatorEvent::Vote { from, yes: true } => cx.completes(cx.yes, *from),
        _ => false,
    }
}

fn last_ack(_: &Coordinator, event: &CoordinatorEvent, cx: &CoordinatorCx) -> bool {
    match event {
        CoordinatorEvent::Ack { from } => cx.completes(cx.acked, *from),
        _ => false,
    }
}

fn send_prepares(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    cx.send_all(ToParticipant::Prepare, 0);
}

fn record_yes(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    if let CoordinatorEvent::Vote { from, yes: true } = event {
        cx.yes |= crate::bit(*from);
    }
}

/// All voted yes: the decision is logged before anyone hears it.
fn decide_commit(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    record_yes(event, cx);
    cx.decision = Some(Decision::Commit);
    cx.effects.push(Effect::Log(Decision::Commit));
    cx.send_all(ToParticipant::Commit, 0);
}

/// Presumed abort: nothing to log.
fn decide_abort(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    cx.decision = Some(Decision::Abort);
    cx.send_all(ToParticipant::Abort, 0);
}

fn record_ack(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    if let CoordinatorEvent::Ack { from } = event {
        cx.acked |= crate::bit(*from);
    }
}

/// Tells the asker (or a late voter) the decision.
fn answer(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    let to = match event {
        CoordinatorEvent::Query { from } | CoordinatorEvent::Vote { from, .. } => *from,
        _ => return,
    };
    let message = match cx.decision {
        Some(Decision::Commit) => ToParticipant::Commit,
        _ => ToParticipant::Abort,
    };
    cx.effects.push(Effect::Deliver(to, message));
}

/// Sends the decision again to whoever has not acknowledged it.
fn resend(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    let message = match cx.decision {
        Some(Decision::Commit) => ToParticipant::Commit,
        _ => ToParticipant::Abort,
    };
    let acked = cx.acked;
    cx.send_all(message, acked);
}

/// The coordinator of one transaction.
#[derive(StateMachine, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[state_machine(crate = crate, event = CoordinatorEvent, context = CoordinatorCx, initial = Idle,
    transitions = [
        Idle + Begin => Collecting then send_prepares,
        Idle + Vote => _,
        Idle + Ack => _,
        Idle + Query => _,
        Idle + Timeout => _,
        Collecting + Vote => Aborting if voted_no then decide_abort,
        Collecting + Vote => Committing if last_yes then decide_commit,
        Collecting + Vote => _ then record_yes,
        Collecting + Timeout => Aborting then decide_abort,
        Collecting + Query => Aborting then decide_abort,
        Collecting + Ack => _,
        Collecting + Begin => _,
        Committing | Aborting + Ack => Done if last_ack then record_ack,
        Committing | Aborting + Ack => _ then record_ack,
        Committing | Aborting + Query => _ then answer,
        Committing | Aborting + Vote => _ then answer,
        Committing | Aborting + Timeout => _ then resend,
        Committing | Aborting + Begin => _,
        Done + Query => _ then answer,
        Done + Vote => _ then answer,
        Done + Ack => _,
        Done + Timeout => _,
        Done + Begin => _,
    ])]
pub enum Coordinator {
    /// Not started.
    Idle,
    /// Prepares sent, votes coming in.
    Collecting,
    /// Commit logged and being announced.
    Committing,
    /// Abort decided and being announced.
    Aborting,
    /// Every participant acknowledged.
    #[state(final)]
    Done,
}

impl Coordinator {
    /// Where a coordinator that crashed stands once it reads its log: a logged commit is
    /// announced again; no record means abort (presumed abort). Acknowledgements are
    /// forgotten with the rest of its memory, and asked for again.
    #[must_use]
    pub fn recover(logged: Option<Decision>, participants: usize) -> (Self, CoordinatorCx) {
        let mut cx = CoordinatorCx::new(participants);
        let state = match logged {
            Some(Decision::Commit) => {
                cx.decision = Some(Decision::Commit);
                cx.send_all(ToParticipant::Commit, 0);
                Coordinator::Committing
            }
            _ => {
                cx.decision = Some(Decision::Abort);
                cx.send_all(ToParticipant::Abort, 0);
                Coordinator::Aborting
            }
        };
        (state, cx)
    }
}

/// What the participant sends to the coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ToCoordinator {
    /// Its vote.
    Vote(bool),
    /// It applied the decision.
    Ack,
    /// It voted yes, waited, and asks for the outcome.
    Query,
}

/// What happens to a participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParticipantEvent {
    /// The coordinator asks for its vote.
    Prepare,
    /// The decision is commit.
    Commit,
    /// The decision is abort.
    Abort,
    /// Waited too long.
    Timeout,
}

/// A participant's memory, and what its last step asks of the world.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParticipantCx {
    /// Whether its local work can be made permanent (it votes yes).
    pub can_commit: bool,
    /// What the steps asked for; `Deliver`'s peer is this participant.
    pub effects: Vec<Effect<ToCoordinator>>,
    /// Which participant this is.
    pub me: Peer,
}

impl ParticipantCx {
    /// Participant `me`, able to commit or not.
    #[must_use]
    pub fn new(me: Peer, can_commit: bool) -> Self {
        ParticipantCx {
            can_commit,
            effects: Vec::new(),
            me,
        }
    }
}

fn can_commit(_: &Participant, _: &ParticipantEvent, cx: &ParticipantCx) -> bool {
    cx.can_commit
}

fn vote_yes(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.effects
        .push(Effect::Deliver(cx.me, ToCoordinator::Vote(true)));
}

fn vote_no(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.effects
        .push(Effect::Deliver(cx.me, ToCoordinator::Vote(false)));
}

fn ack(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.effects.push(Effect::Deliver(cx.me, ToCoordinator::Ack));
}

fn ask(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.effects
        .push(Effect::Deliver(cx.me, ToCoordinator::Query));
}

/// One participant of a transaction.
#[derive(StateMachine, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[state_machine(crate = crate, event = ParticipantEvent, context = ParticipantCx, initial = Working,
    transitions = [
        Working + Prepare => Prepared if can_commit then vote_yes,
        Working + Prepare => Aborted then vote_no,
        Working + Abort => Aborted then ack,
        Working + Timeout => Aborted,
        Working + Commit => _,
        Prepared + Prepare => _ then vote_yes,
        Prepared + Commit => Committed then ack,
        Prepared + Abort => Aborted then ack,
        Prepared + Timeout => _ then ask,
        Committed + Commit => _ then ack,
        Committed + Prepare => _,
        Committed + Abort => _,
        Committed + Timeout => _,
        Aborted + Prepare => _ then vote_no,
        Aborted + Abort => _ then ack,
        Aborted + Commit => _,
        Aborted + Timeout => _,
    ])]
pub enum Participant {
    /// Doing its local work; not yet asked.
    Working,
    /// Voted yes: holds its locks, and must do what the coordinator decides.
    Prepared,
    /// Made its work permanent.
    #[state(final)]
    Committed,
    /// Undid its work.
    #[state(final)]
    Aborted,
}

impl Participant {
    /// Where a participant that crashed stands when it restarts: unprepared work is lost
    /// (it will vote no), a prepared transaction survives (as `PREPARE TRANSACTION` does).
    #[must_use]
    pub fn recover(self) -> Self {
        match self {
            Participant::Working => Participant::Aborted,
            other => other,
        }
    }
}
