//! Three-phase commit: `CanCommit`, then `PreCommit`, then `DoCommit`. A participant that waited
//! too long decides alone — abort while uncertain, commit once pre-committed — so no one
//! blocks on a crashed coordinator. The price: when the network partitions, one side can
//! commit while the other aborts. The exhaustive search in this crate's tests finds such a
//! run and keeps it as a test.
//!
//! ```
//! use patternkit_commit::three_phase::Participant;
//!
//! assert!(Participant::to_mermaid().contains("PreCommitted --> Committed"));
//! ```

// Guards take the state by reference, as `#[derive(StateMachine)]` calls them.
#![allow(clippy::trivially_copy_pass_by_ref)]

use patternkit_macros::StateMachine;

use crate::{Decision, Effect, Peer};

/// What the coordinator sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ToParticipant {
    /// Vote: can you commit?
    CanCommit,
    /// Everyone voted yes: get ready.
    PreCommit,
    /// Commit.
    DoCommit,
    /// Abort.
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
        /// Yes or no.
        yes: bool,
    },
    /// A participant acknowledged the `PreCommit`.
    PreAck {
        /// Who.
        from: Peer,
    },
    /// A participant applied the decision.
    Ack {
        /// Who.
        from: Peer,
    },
    /// Waited too long.
    Timeout,
}

/// The coordinator's memory, and what its last step asks of the world.
pub type CoordinatorCx = crate::Round<ToParticipant>;

fn decided(cx: &CoordinatorCx) -> ToParticipant {
    match cx.decision {
        Some(Decision::Commit) => ToParticipant::DoCommit,
        _ => ToParticipant::Abort,
    }
}

fn voted_no(_: &Coordinator, event: &CoordinatorEvent, _: &CoordinatorCx) -> bool {
    matches!(event, CoordinatorEvent::Vote { yes: false, .. })
}

fn last_yes(_: &Coordinator, event: &CoordinatorEvent, cx: &CoordinatorCx) -> bool {
    match event {
        CoordinatorEvent::Vote { from, yes: true } => cx.completes(cx.yes, *from),
        _ => false,
    }
}

fn last_pre_ack(_: &Coordinator, event: &CoordinatorEvent, cx: &CoordinatorCx) -> bool {
    match event {
        CoordinatorEvent::PreAck { from } => cx.completes(cx.pre_acked, *from),
        _ => false,
    }
}

fn last_ack(_: &Coordinator, event: &CoordinatorEvent, cx: &CoordinatorCx) -> bool {
    match event {
        CoordinatorEvent::Ack { from } => cx.completes(cx.acked, *from),
        _ => false,
    }
}

fn send_can_commits(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    cx.send_all(ToParticipant::CanCommit, 0);
}

fn record_yes(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    if let CoordinatorEvent::Vote { from, yes: true } = event {
        cx.yes |= crate::bit(*from);
    }
}

fn send_pre_commits(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    record_yes(event, cx);
    cx.send_all(ToParticipant::PreCommit, 0);
}

fn record_pre_ack(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    if let CoordinatorEvent::PreAck { from } = event {
        cx.pre_acked |= crate::bit(*from);
    }
}

fn decide_commit(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    record_pre_ack(event, cx);
    cx.decision = Some(Decision::Commit);
    cx.effects.push(Effect::Log(Decision::Commit));
    cx.send_all(ToParticipant::DoCommit, 0);
}

fn decide_abort(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    cx.decision = Some(Decision::Abort);
    cx.effects.push(Effect::Log(Decision::Abort));
    cx.send_all(ToParticipant::Abort, 0);
}

fn record_ack(event: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    if let CoordinatorEvent::Ack { from } = event {
        cx.acked |= crate::bit(*from);
    }
}

fn resend(_: &CoordinatorEvent, cx: &mut CoordinatorCx) {
    let message = decided(cx);
    let acked = cx.acked;
    cx.send_all(message, acked);
}

/// The coordinator of one transaction.
#[derive(StateMachine, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[state_machine(crate = crate, event = CoordinatorEvent, context = CoordinatorCx, initial = Idle,
    transitions = [
        Idle + Begin => Collecting then send_can_commits,
        Idle + Vote => _,
        Idle + PreAck => _,
        Idle + Ack => _,
        Idle + Timeout => _,
        Collecting + Vote => Aborting if voted_no then decide_abort,
        Collecting + Vote => PreCommitting if last_yes then send_pre_commits,
        Collecting + Vote => _ then record_yes,
        Collecting + Timeout => Aborting then decide_abort,
        Collecting + PreAck => _,
        Collecting + Ack => _,
        Collecting + Begin => _,
        PreCommitting + PreAck => Committing if last_pre_ack then decide_commit,
        PreCommitting + PreAck => _ then record_pre_ack,
        PreCommitting + Timeout => Aborting then decide_abort,
        PreCommitting + Vote => _,
        PreCommitting + Ack => _,
        PreCommitting + Begin => _,
        Committing | Aborting + Ack => Done if last_ack then record_ack,
        Committing | Aborting + Ack => _ then record_ack,
        Committing | Aborting + Timeout => _ then resend,
        Committing | Aborting + Vote => _,
        Committing | Aborting + PreAck => _,
        Committing | Aborting + Begin => _,
        Done + Vote => _,
        Done + PreAck => _,
        Done + Ack => _,
        Done + Timeout => _,
        Done + Begin => _,
    ])]
pub enum Coordinator {
    /// Not started.
    Idle,
    /// `CanCommit` sent, votes coming in.
    Collecting,
    /// Everyone voted yes; `PreCommit` sent, acknowledgements coming in.
    PreCommitting,
    /// Commit logged and being announced.
    Committing,
    /// Abort decided and being announced.
    Aborting,
    /// Every participant acknowledged.
    #[state(final)]
    Done,
}

/// What the participant sends to the coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ToCoordinator {
    /// Its vote.
    Vote(bool),
    /// It is pre-committed.
    PreAck,
    /// It applied the decision.
    Ack,
}

/// What happens to a participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParticipantEvent {
    /// The coordinator asks for its vote.
    CanCommit,
    /// Everyone voted yes.
    PreCommit,
    /// Commit.
    DoCommit,
    /// Abort.
    Abort,
    /// Waited too long.
    Timeout,
}

/// A participant's memory, and what its last step asks of the world.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParticipantCx {
    /// Whether its local work can be made permanent.
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

    fn send(&mut self, message: ToCoordinator) {
        self.effects.push(Effect::Deliver(self.me, message));
    }
}

fn can_commit(_: &Participant, _: &ParticipantEvent, cx: &ParticipantCx) -> bool {
    cx.can_commit
}

fn vote_yes(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.send(ToCoordinator::Vote(true));
}

fn vote_no(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.send(ToCoordinator::Vote(false));
}

fn pre_ack(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.send(ToCoordinator::PreAck);
}

fn ack(_: &ParticipantEvent, cx: &mut ParticipantCx) {
    cx.send(ToCoordinator::Ack);
}

/// One participant of a transaction.
#[derive(StateMachine, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[state_machine(crate = crate, event = ParticipantEvent, context = ParticipantCx, initial = Working,
    transitions = [
        Working + CanCommit => Uncertain if can_commit then vote_yes,
        Working + CanCommit => Aborted then vote_no,
        Working + Abort => Aborted then ack,
        Working + Timeout => Aborted,
        Working + PreCommit => _,
        Working + DoCommit => _,
        Uncertain + CanCommit => _ then vote_yes,
        Uncertain + PreCommit => PreCommitted then pre_ack,
        Uncertain + Abort => Aborted then ack,
        Uncertain + Timeout => Aborted,
        Uncertain + DoCommit => _,
        PreCommitted + PreCommit => _ then pre_ack,
        PreCommitted + DoCommit => Committed then ack,
        PreCommitted + Abort => Aborted then ack,
        PreCommitted + Timeout => Committed,
        PreCommitted + CanCommit => _,
        Committed + DoCommit => _ then ack,
        Committed + CanCommit => _,
        Committed + PreCommit => _,
        Committed + Abort => _,
        Committed + Timeout => _,
        Aborted + Abort => _ then ack,
        Aborted + CanCommit => _ then vote_no,
        Aborted + PreCommit => _,
        Aborted + DoCommit => _,
        Aborted + Timeout => _,
    ])]
pub enum Participant {
    /// Doing its local work; not yet asked.
    Working,
    /// Voted yes; does not know whether everyone did. Times out to abort.
    Uncertain,
    /// Knows everyone voted yes. Times out to commit.
    PreCommitted,
    /// Made its work permanent.
    #[state(final)]
    Committed,
    /// Undid its work.
    #[state(final)]
    Aborted,
}
