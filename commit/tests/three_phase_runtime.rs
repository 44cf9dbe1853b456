//! Three-phase commit run for real against in-memory participants that follow the
//! `three_phase::Participant` machine and keep their own clocks: all yes commits, a no vote,
//! a silent participant or a failed `PreCommit` aborts, and a coordinator crash at every
//! write of its log is finished the same way by the participants' own timeouts and by the
//! restarted coordinator.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::store::{CrashPoint, FaultyJournal, MemoryJournal};
use patternkit_commit::three_phase::{Participant, ParticipantCx, ParticipantEvent};
use patternkit_commit::{
    CommitError, Decision, Gid, ParticipantError, ParticipantFuture, ThreePhaseCommit,
    ThreePhaseParticipant,
};

/// A resource in memory: one participant machine per transaction.
struct Node {
    name: &'static str,
    votes_yes: bool,
    /// Never answers `can_commit`.
    silent: bool,
    /// `pre_commit` fails.
    unreachable_after_vote: bool,
    /// How long `can_commit` takes.
    vote_delay: Duration,
    machines: Mutex<BTreeMap<String, Participant>>,
}

impl Node {
    fn new(name: &'static str) -> Self {
        Node {
            name,
            votes_yes: true,
            silent: false,
            unreachable_after_vote: false,
            vote_delay: Duration::ZERO,
            machines: Mutex::new(BTreeMap::new()),
        }
    }

    fn fire(&self, gid: &Gid, event: ParticipantEvent) -> Participant {
        let mut machines = self.machines.lock().unwrap();
        let state = machines
            .entry(gid.as_str().to_owned())
            .or_insert(Participant::Working);
        let mut cx = ParticipantCx::new(0, self.votes_yes);
        let _ = state.fire(&event, &mut cx);
        *state
    }

    /// Its clock ran out without a message.
    fn time_out(&self, gid: &Gid) -> Participant {
        self.fire(gid, ParticipantEvent::Timeout)
    }

    fn state(&self, gid: &Gid) -> Participant {
        self.machines
            .lock()
            .unwrap()
            .get(gid.as_str())
            .copied()
            .unwrap_or(Participant::Working)
    }
}

impl ThreePhaseParticipant for Node {
    fn name(&self) -> &str {
        self.name
    }

    fn can_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(async move {
            if self.silent {
                core::future::pending::<()>().await;
            }
            patternkit::time::sleep(self.vote_delay).await;
            Ok(self.fire(gid, ParticipantEvent::CanCommit) == Participant::Uncertain)
        })
    }

    fn pre_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            if self.unreachable_after_vote {
                return Err(ParticipantError("unreachable".into()));
            }
            self.fire(gid, ParticipantEvent::PreCommit);
            Ok(())
        })
    }

    fn do_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            self.fire(gid, ParticipantEvent::DoCommit);
            Ok(())
        })
    }

    fn abort<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            self.fire(gid, ParticipantEvent::Abort);
            Ok(())
        })
    }

    fn state<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, Participant> {
        Box::pin(async move { Ok(Node::state(self, gid)) })
    }
}

fn gid(id: &str) -> Gid {
    Gid::new(id).unwrap()
}

fn states(nodes: &[Node], gid: &Gid) -> Vec<Participant> {
    nodes.iter().map(|n| n.state(gid)).collect()
}

fn all(nodes: &[Node], gid: &Gid, state: Participant) -> bool {
    nodes.iter().all(|n| n.state(gid) == state)
}

fn run(nodes: &[Node], id: &str) -> Result<Decision, CommitError> {
    let participants: Vec<&dyn ThreePhaseParticipant> = nodes
        .iter()
        .map(|n| n as &dyn ThreePhaseParticipant)
        .collect();
    let coordinator =
        ThreePhaseCommit::new(MemoryJournal::new()).timeout(Duration::from_millis(50));
    block_on(coordinator.run(&gid(id), &participants))
}

#[test]
fn all_yes_commits_everywhere() {
    let nodes = [Node::new("a"), Node::new("b"), Node::new("c")];
    assert_eq!(run(&nodes, "t1"), Ok(Decision::Commit));
    assert!(all(&nodes, &gid("t1"), Participant::Committed));
}

#[test]
fn a_no_vote_a_silent_participant_or_a_failed_pre_commit_aborts_everyone() {
    let no = Node {
        votes_yes: false,
        ..Node::new("no")
    };
    let nodes = [Node::new("a"), no, Node::new("c")];
    assert_eq!(run(&nodes, "t2"), Ok(Decision::Abort));
    assert!(all(&nodes, &gid("t2"), Participant::Aborted));

    let silent = Node {
        silent: true,
        ..Node::new("silent")
    };
    let nodes = [Node::new("a"), silent];
    assert_eq!(run(&nodes, "t3"), Ok(Decision::Abort));
    assert_eq!(nodes[0].state(&gid("t3")), Participant::Aborted);

    let cut_off = Node {
        unreachable_after_vote: true,
        ..Node::new("cut-off")
    };
    let nodes = [Node::new("a"), cut_off];
    assert_eq!(run(&nodes, "t4"), Ok(Decision::Abort));
    assert!(all(&nodes, &gid("t4"), Participant::Aborted));
}

#[test]
fn participant_counts_the_machines_cannot_track_are_refused() {
    let coordinator = ThreePhaseCommit::new(MemoryJournal::new());
    let none: [&dyn ThreePhaseParticipant; 0] = [];
    let error = block_on(coordinator.run(&gid("t5"), &none)).unwrap_err();
    assert_eq!(error, CommitError::Participants(0));
    assert!(error.to_string().contains("1 to 64 participants"));
    let nodes: Vec<Node> = (0..65).map(|_| Node::new("n")).collect();
    let many: Vec<&dyn ThreePhaseParticipant> = nodes
        .iter()
        .map(|n| n as &dyn ThreePhaseParticipant)
        .collect();
    let error = block_on(coordinator.run(&gid("t6"), &many)).unwrap_err();
    assert_eq!(error, CommitError::Participants(65));
    assert!(
        nodes
            .iter()
            .all(|n| n.state(&gid("t6")) == Participant::Working)
    );
}

/// The coordinator dies at each write of its log; the restarted coordinator asks the
/// participants where they stand and finishes the same way for all of them.
#[test]
fn a_coordinator_crash_at_every_write_is_finished_one_way_by_recovery() {
    for votes in [[true, true, true], [true, false, true]] {
        for at in 0..4 {
            for point in [CrashPoint::BeforeWrite, CrashPoint::AfterWrite] {
                let journal = Arc::new(MemoryJournal::new());
                let nodes: Vec<Node> = votes
                    .iter()
                    .zip(["a", "b", "c"])
                    .map(|(yes, name)| Node {
                        votes_yes: *yes,
                        ..Node::new(name)
                    })
                    .collect();
                let participants: Vec<&dyn ThreePhaseParticipant> = nodes
                    .iter()
                    .map(|n| n as &dyn ThreePhaseParticipant)
                    .collect();
                let crashing = ThreePhaseCommit::new(
                    FaultyJournal::new(Arc::clone(&journal)).crash_at(at, point),
                );
                let id = gid("t");
                let first = block_on(crashing.run(&id, &participants));
                let left = states(&nodes, &id);
                let restarted = ThreePhaseCommit::new(Arc::clone(&journal));
                block_on(restarted.recover(&participants)).unwrap();
                let case = format!(
                    "votes {votes:?}, crash at write {at} {point:?}: {first:?}, left {left:?}, \
                     recovered {:?}",
                    states(&nodes, &id)
                );
                let committed = all(&nodes, &id, Participant::Committed);
                // Nothing began (the first write was lost), or everyone ended one way.
                let untouched = all(&nodes, &id, Participant::Working);
                assert!(
                    committed || untouched || all(&nodes, &id, Participant::Aborted),
                    "not one outcome: {case}"
                );
                if votes.contains(&false) {
                    assert!(!committed, "committed after a no vote: {case}");
                }
                if first == Ok(Decision::Commit) {
                    assert!(committed, "recovery undid a commit: {case}");
                }
            }
        }
    }
}

/// A `PreCommit` that reached only some participants — the coordinator died while sending,
/// or the network split. Participants that decide alone when their clocks run out diverge
/// (the caveat of 3PC); the termination protocol of `recover` brings them to one outcome.
#[test]
fn a_pre_commit_that_reached_only_some_is_finished_by_termination_not_by_timeouts() {
    let id = gid("split");
    let nodes = [Node::new("a"), Node::new("b")];
    let coordinator = ThreePhaseCommit::new(Arc::new(MemoryJournal::new()));
    block_on(async {
        use patternkit::store::Journal;
        coordinator
            .journal()
            .append("3pc", "split", "begun")
            .await
            .unwrap();
    });
    for node in &nodes {
        node.fire(&id, ParticipantEvent::CanCommit);
    }
    nodes[0].fire(&id, ParticipantEvent::PreCommit);

    // Deciding alone: `a` commits, `b` aborts.
    let alone = [Node::new("a"), Node::new("b")];
    for (node, copy) in nodes.iter().zip(&alone) {
        copy.machines
            .lock()
            .unwrap()
            .insert("split".into(), node.state(&id));
        copy.time_out(&id);
    }
    assert_eq!(
        states(&alone, &id),
        [Participant::Committed, Participant::Aborted]
    );

    // Asking: the recovered coordinator sees `a` pre-committed and commits both.
    let participants: Vec<&dyn ThreePhaseParticipant> = nodes
        .iter()
        .map(|n| n as &dyn ThreePhaseParticipant)
        .collect();
    let finished = block_on(coordinator.recover(&participants)).unwrap();
    assert_eq!(finished, vec![(id.clone(), Decision::Commit)]);
    assert!(all(&nodes, &id, Participant::Committed));
    assert_eq!(
        block_on(coordinator.outcome(&id)).unwrap(),
        Some(Decision::Commit)
    );
}

#[test]
fn recovery_leaves_a_transaction_still_collecting_votes_to_its_coordinator() {
    let journal = Arc::new(MemoryJournal::new());
    let nodes = [
        Node::new("fast"),
        Node {
            vote_delay: Duration::from_millis(400),
            ..Node::new("slow")
        },
    ];
    let participants: Vec<&dyn ThreePhaseParticipant> = nodes
        .iter()
        .map(|n| n as &dyn ThreePhaseParticipant)
        .collect();
    let (decision, recovered) = std::thread::scope(|scope| {
        let running = scope.spawn(|| {
            block_on(ThreePhaseCommit::new(Arc::clone(&journal)).run(&gid("live"), &participants))
        });
        std::thread::sleep(Duration::from_millis(100));
        let recovery = ThreePhaseCommit::new(Arc::clone(&journal));
        let recovered = block_on(recovery.recover(&participants));
        // Passed over, and listed as still to be done.
        assert_eq!(block_on(recovery.pending()), Ok(vec![gid("live")]));
        (running.join().unwrap(), recovered)
    });
    assert_eq!(recovered, Ok(Vec::new()));
    assert_eq!(decision, Ok(Decision::Commit));
    assert!(all(&nodes, &gid("live"), Participant::Committed));
    let ended = ThreePhaseCommit::new(Arc::clone(&journal));
    assert_eq!(block_on(ended.pending()), Ok(Vec::new()));
}
