//! Two-phase commit run for real against in-memory participants: the decision logged
//! before it is announced, a no vote or a silent participant aborting everything, a
//! participant that fails to commit finished by recovery, and the coordinator crashed at
//! every write of its log and recovered, with every participant ending the same way.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::store::{CrashPoint, FaultyJournal, MemoryJournal};
use patternkit_commit::{
    CommitError, Decision, Gid, Participant, ParticipantError, ParticipantFuture, TwoPhaseCommit,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    Prepared,
    Committed,
    RolledBack,
}

/// A resource manager in memory: what it holds per transaction, and how it misbehaves.
struct Bank {
    name: &'static str,
    votes_yes: bool,
    /// Never answers `prepare`.
    silent: bool,
    /// How long `prepare` takes.
    prepare_delay: Duration,
    /// `commit` fails this many more times.
    commit_failures: Mutex<u32>,
    held: Mutex<BTreeMap<String, Held>>,
}

impl Bank {
    fn new(name: &'static str) -> Self {
        Bank {
            name,
            votes_yes: true,
            silent: false,
            prepare_delay: Duration::ZERO,
            commit_failures: Mutex::new(0),
            held: Mutex::new(BTreeMap::new()),
        }
    }

    fn held(&self, gid: &Gid) -> Option<Held> {
        self.held.lock().unwrap().get(gid.as_str()).copied()
    }
}

impl Participant for Bank {
    fn name(&self) -> &str {
        self.name
    }

    fn prepare<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(async move {
            if self.silent {
                core::future::pending::<()>().await;
            }
            patternkit::time::sleep(self.prepare_delay).await;
            let state = if self.votes_yes {
                Held::Prepared
            } else {
                Held::RolledBack
            };
            self.held.lock().unwrap().insert(gid.to_string(), state);
            Ok(self.votes_yes)
        })
    }

    fn commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            let mut failures = self.commit_failures.lock().unwrap();
            if *failures > 0 {
                *failures -= 1;
                return Err(ParticipantError("connection lost".into()));
            }
            let mut held = self.held.lock().unwrap();
            match held.get(gid.as_str()) {
                Some(Held::Prepared | Held::Committed) => {
                    held.insert(gid.to_string(), Held::Committed);
                    Ok(())
                }
                other => Err(ParticipantError(format!("cannot commit {other:?}"))),
            }
        })
    }

    fn rollback<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            let mut held = self.held.lock().unwrap();
            match held.get(gid.as_str()) {
                Some(Held::Committed) => Err(ParticipantError("already committed".into())),
                _ => {
                    held.insert(gid.to_string(), Held::RolledBack);
                    Ok(())
                }
            }
        })
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        Box::pin(async move {
            Ok(self
                .held
                .lock()
                .unwrap()
                .iter()
                .filter(|(_, h)| **h == Held::Prepared)
                .filter_map(|(g, _)| Gid::new(g).ok())
                .collect())
        })
    }
}

fn gid(id: &str) -> Gid {
    Gid::new(id).unwrap()
}

#[test]
fn all_yes_commits_everywhere_after_logging_it() {
    let (a, b) = (Bank::new("a"), Bank::new("b"));
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    let decision = block_on(coordinator.run(&gid("t1"), &[&a, &b])).unwrap();
    assert_eq!(decision, Decision::Commit);
    assert_eq!(
        (a.held(&gid("t1")), b.held(&gid("t1"))),
        (Some(Held::Committed), Some(Held::Committed))
    );
    assert_eq!(
        block_on(coordinator.outcome(&gid("t1"))).unwrap(),
        Decision::Commit
    );
}

#[test]
fn one_no_vote_rolls_everyone_back() {
    let a = Bank::new("a");
    let b = Bank {
        votes_yes: false,
        ..Bank::new("b")
    };
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    assert_eq!(
        block_on(coordinator.run(&gid("t2"), &[&a, &b])).unwrap(),
        Decision::Abort
    );
    assert_eq!(
        a.held(&gid("t2")),
        Some(Held::RolledBack),
        "nothing left prepared"
    );
    assert_eq!(
        block_on(coordinator.outcome(&gid("t2"))).unwrap(),
        Decision::Abort
    );
}

#[test]
fn a_participant_that_never_answers_is_a_no_and_locks_are_released() {
    let a = Bank::new("a");
    let silent = Bank {
        silent: true,
        ..Bank::new("silent")
    };
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new()).timeout(Duration::from_millis(50));
    let started = std::time::Instant::now();
    assert_eq!(
        block_on(coordinator.run(&gid("t3"), &[&a, &silent])).unwrap(),
        Decision::Abort
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(a.held(&gid("t3")), Some(Held::RolledBack));
}

#[test]
fn a_participant_that_fails_to_commit_is_finished_by_recovery() {
    let a = Bank::new("a");
    let b = Bank::new("b");
    *b.commit_failures.lock().unwrap() = 1;
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    let error = block_on(coordinator.run(&gid("t4"), &[&a, &b])).unwrap_err();
    assert!(
        matches!(&error, CommitError::Unfinished { decision: Decision::Commit, failed } if failed[0].0 == "b"),
        "{error}"
    );
    assert_eq!(
        b.held(&gid("t4")),
        Some(Held::Prepared),
        "b still holds its locks"
    );
    let finished = block_on(coordinator.recover(&[&a, &b])).unwrap();
    assert_eq!(finished, [(gid("t4"), Decision::Commit)]);
    assert_eq!(b.held(&gid("t4")), Some(Held::Committed));
}

#[test]
fn bad_and_duplicate_ids_are_refused_before_anything_is_prepared() {
    assert!(matches!(Gid::new(""), Err(CommitError::BadGid(_))));
    assert!(matches!(
        Gid::new(&"x".repeat(201)),
        Err(CommitError::BadGid(_))
    ));
    assert!(matches!(Gid::new("it's"), Err(CommitError::BadGid(_))));
    assert!(Gid::new(&"x".repeat(200)).is_ok());
    let a = Bank::new("a");
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    block_on(coordinator.run(&gid("t5"), &[&a])).unwrap();
    let again = Bank::new("again");
    let error = block_on(coordinator.run(&gid("t5"), &[&again])).unwrap_err();
    assert_eq!(error, CommitError::Duplicate("t5".into()));
    assert_eq!(again.held(&gid("t5")), None);
}

#[test]
fn a_coordinator_crash_at_every_write_is_finished_by_recovery_one_way() {
    for votes in [[true, true, true], [true, false, true]] {
        for at in 0..6 {
            for point in [CrashPoint::BeforeWrite, CrashPoint::AfterWrite] {
                let journal = Arc::new(MemoryJournal::new());
                let banks: Vec<Bank> = votes
                    .iter()
                    .zip(["a", "b", "c"])
                    .map(|(yes, name)| Bank {
                        votes_yes: *yes,
                        ..Bank::new(name)
                    })
                    .collect();
                let participants: Vec<&dyn Participant> =
                    banks.iter().map(|b| b as &dyn Participant).collect();
                let crashing = TwoPhaseCommit::new(
                    FaultyJournal::new(Arc::clone(&journal)).crash_at(at, point),
                );
                let first = block_on(crashing.run(&gid("t"), &participants));
                let restarted = TwoPhaseCommit::new(Arc::clone(&journal));
                block_on(restarted.recover(&participants)).unwrap();
                let outcomes: Vec<Option<Held>> = banks.iter().map(|b| b.held(&gid("t"))).collect();
                let committed = outcomes.contains(&Some(Held::Committed));
                let case = format!(
                    "votes {votes:?}, crash at write {at} {point:?}: {first:?} -> {outcomes:?}"
                );
                assert!(
                    !outcomes.contains(&Some(Held::Prepared)),
                    "left prepared: {case}"
                );
                assert!(
                    !(committed && outcomes.contains(&Some(Held::RolledBack))),
                    "committed and rolled back: {case}"
                );
                if !votes.iter().all(|v| *v) {
                    assert!(!committed, "committed after a no vote: {case}");
                }
            }
        }
    }
}

/// Takes `delay` to prepare, like a database flushing its log.
struct Slow(Duration);

impl Participant for Slow {
    fn name(&self) -> &'static str {
        "slow"
    }

    fn prepare<'a>(&'a self, _: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(async move {
            patternkit::time::sleep(self.0).await;
            Ok(true)
        })
    }

    fn commit<'a>(&'a self, _: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async move {
            patternkit::time::sleep(self.0).await;
            Ok(())
        })
    }

    fn rollback<'a>(&'a self, _: &'a Gid) -> ParticipantFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

#[test]
fn each_phase_asks_every_participant_at_once() {
    let delay = Duration::from_millis(200);
    let slow = [Slow(delay), Slow(delay), Slow(delay), Slow(delay)];
    let participants: Vec<&dyn Participant> = slow.iter().map(|s| s as &dyn Participant).collect();
    let started = std::time::Instant::now();
    let decision =
        block_on(TwoPhaseCommit::new(MemoryJournal::new()).run(&gid("par"), &participants));
    assert_eq!(decision, Ok(Decision::Commit));
    // Two phases of 200 ms each; one participant after another would take 1.6 s.
    assert!(started.elapsed() < delay * 4, "{:?}", started.elapsed());
}

#[test]
fn participant_counts_the_machines_cannot_track_are_refused_before_anything_is_written() {
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    let none: [&dyn Participant; 0] = [];
    let error = block_on(coordinator.run(&gid("none"), &none)).unwrap_err();
    assert_eq!(error, CommitError::Participants(0));
    let banks: Vec<Bank> = (0..65).map(|_| Bank::new("b")).collect();
    let many: Vec<&dyn Participant> = banks.iter().map(|b| b as &dyn Participant).collect();
    let error = block_on(coordinator.run(&gid("many"), &many)).unwrap_err();
    assert_eq!(error, CommitError::Participants(65));
    assert!(banks.iter().all(|b| b.held(&gid("many")).is_none()));
    // Nothing was logged: the ids are still free.
    let one = Bank::new("one");
    assert_eq!(
        block_on(coordinator.run(&gid("many"), &[&one])),
        Ok(Decision::Commit)
    );
}

/// Runs a transaction on a thread with `coordinator` while, 100 ms in, a coordinator of this
/// process on the same log recovers: what each returned, and where each participant ended.
fn recover_during_a_run(
    coordinator: impl FnOnce(Arc<MemoryJournal>) -> TwoPhaseCommit<Arc<MemoryJournal>> + Send,
) -> (Result<Decision, CommitError>, Vec<Gid>, Vec<Held>) {
    let journal = Arc::new(MemoryJournal::new());
    let fast = Bank::new("fast");
    let slow = Bank {
        prepare_delay: Duration::from_millis(400),
        ..Bank::new("slow")
    };
    let participants: [&dyn Participant; 2] = [&fast, &slow];
    let (decision, recovered) = std::thread::scope(|scope| {
        let running = scope.spawn(|| {
            let coordinator = coordinator(Arc::clone(&journal));
            block_on(coordinator.run(&gid("live"), &participants))
        });
        std::thread::sleep(Duration::from_millis(100));
        let recovery = TwoPhaseCommit::new(Arc::clone(&journal));
        let recovered = block_on(recovery.recover(&participants)).unwrap();
        (running.join().unwrap(), recovered)
    });
    let recovered = recovered.into_iter().map(|(gid, _)| gid).collect();
    let held = [&fast, &slow]
        .iter()
        .map(|bank| bank.held(&gid("live")).unwrap())
        .collect();
    (decision, recovered, held)
}

#[test]
fn recovery_leaves_a_transaction_this_process_is_running_alone() {
    let (decision, recovered, held) = recover_during_a_run(TwoPhaseCommit::new);
    assert_eq!(decision, Ok(Decision::Commit));
    assert!(recovered.is_empty(), "{recovered:?}");
    assert_eq!(held, [Held::Committed, Held::Committed]);
}

#[test]
fn recovery_leaves_a_transaction_another_node_holds_the_lease_of_alone() {
    let (decision, recovered, held) = recover_during_a_run(|journal| {
        TwoPhaseCommit::new(journal)
            .node("elsewhere")
            .lease(Duration::from_secs(60))
    });
    assert_eq!(decision, Ok(Decision::Commit));
    assert!(recovered.is_empty(), "{recovered:?}");
    assert_eq!(held, [Held::Committed, Held::Committed]);
}

#[test]
fn a_node_whose_lease_lapsed_ends_the_transaction_the_way_recovery_decided() {
    // The lease lapses before the votes are in: recovery decides abort first, and the other
    // node, all votes yes, logs commit second, finds abort first in the log and rolls back.
    let (decision, recovered, held) = recover_during_a_run(|journal| {
        TwoPhaseCommit::new(journal)
            .node("elsewhere")
            .lease(Duration::from_millis(20))
    });
    assert_eq!(decision, Ok(Decision::Abort));
    assert_eq!(recovered, [gid("live")]);
    assert_eq!(held, [Held::RolledBack, Held::RolledBack]);
}

#[test]
fn a_restarted_node_finishes_its_own_transactions_without_waiting_for_their_leases() {
    let journal = Arc::new(MemoryJournal::new());
    let bank = Bank::new("a");
    let crashing = TwoPhaseCommit::new(
        FaultyJournal::new(Arc::clone(&journal)).crash_at(1, CrashPoint::BeforeWrite),
    )
    .node("node-1")
    .lease(Duration::from_secs(60));
    assert!(block_on(crashing.run(&gid("t"), &[&bank])).is_err());
    assert_eq!(bank.held(&gid("t")), Some(Held::Prepared));
    // Another node must wait for the lease; the same node need not.
    let other = TwoPhaseCommit::new(Arc::clone(&journal)).node("node-2");
    assert_eq!(block_on(other.recover(&[&bank])), Ok(Vec::new()));
    // What it passed over is still to be done, and says so.
    assert_eq!(block_on(other.pending()), Ok(vec![gid("t")]));
    let restarted = TwoPhaseCommit::new(Arc::clone(&journal)).node("node-1");
    assert_eq!(
        block_on(restarted.recover(&[&bank])),
        Ok(vec![(gid("t"), Decision::Abort)])
    );
    assert_eq!(bank.held(&gid("t")), Some(Held::RolledBack));
    assert_eq!(block_on(other.pending()), Ok(Vec::new()));
}
