//! Three-phase commit between three in-process replicas of a counter, and why it is
//! labelled unsafe under partitions.
//!
//! Each replica follows patternkit's `three_phase::Participant` state machine. A normal run
//! commits; a replica that cannot commit aborts everyone. Then the coordinator dies after its
//! `PreCommit` reached one replica only: left to their own clocks the replicas disagree (one
//! commits, the others abort) — the run the crate's exhaustive search finds — while a
//! restarted coordinator that asks them where they stand brings all three to one outcome.
//!
//! ```text
//! cargo run --example three_phase_commit
//! ```

use std::collections::BTreeMap;
use std::sync::Mutex;

use patternkit::commit::three_phase::{Participant, ParticipantCx, ParticipantEvent};
use patternkit::commit::{Gid, ParticipantFuture, ThreePhaseCommit, ThreePhaseParticipant};
use patternkit::cqrs::block_on;
use patternkit::store::{Journal, MemoryJournal};

/// A replica: its committed value, and per transaction the protocol state and the value it
/// would commit.
struct Replica {
    name: &'static str,
    value: Mutex<i64>,
    pending: Mutex<BTreeMap<Gid, (Participant, i64)>>,
}

impl Replica {
    fn new(name: &'static str) -> Self {
        Replica {
            name,
            value: Mutex::new(0),
            pending: Mutex::new(BTreeMap::new()),
        }
    }

    /// Stages `delta` under `gid`; it can commit only if the value stays positive.
    fn stage(&self, gid: &Gid, delta: i64) {
        let next = *self.value.lock().unwrap() + delta;
        self.pending
            .lock()
            .unwrap()
            .insert(gid.clone(), (Participant::Working, next));
    }

    /// Feeds `event` to `gid`'s machine; applies the staged value when it commits.
    fn step(&self, gid: &Gid, event: ParticipantEvent) -> Participant {
        let mut pending = self.pending.lock().unwrap();
        let Some((state, next)) = pending.get_mut(gid) else {
            return Participant::Working;
        };
        let mut cx = ParticipantCx::new(0, *next >= 0);
        let before = *state;
        let _ = state.fire(&event, &mut cx);
        if *state == Participant::Committed && before != Participant::Committed {
            *self.value.lock().unwrap() = *next;
        }
        *state
    }

    fn value(&self) -> i64 {
        *self.value.lock().unwrap()
    }
}

impl ThreePhaseParticipant for Replica {
    fn name(&self) -> &str {
        self.name
    }

    fn can_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, bool> {
        let voted = self.step(gid, ParticipantEvent::CanCommit);
        Box::pin(async move { Ok(voted == Participant::Uncertain) })
    }

    fn pre_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        self.step(gid, ParticipantEvent::PreCommit);
        Box::pin(async { Ok(()) })
    }

    fn do_commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        self.step(gid, ParticipantEvent::DoCommit);
        Box::pin(async { Ok(()) })
    }

    fn abort<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        self.step(gid, ParticipantEvent::Abort);
        Box::pin(async { Ok(()) })
    }

    fn state<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, Participant> {
        let state = self
            .pending
            .lock()
            .unwrap()
            .get(gid)
            .map_or(Participant::Working, |(state, _)| *state);
        Box::pin(async move { Ok(state) })
    }
}

fn values(replicas: &[Replica]) -> Vec<i64> {
    replicas.iter().map(Replica::value).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let replicas = [Replica::new("a"), Replica::new("b"), Replica::new("c")];
    let all: Vec<&dyn ThreePhaseParticipant> = replicas
        .iter()
        .map(|r| r as &dyn ThreePhaseParticipant)
        .collect();
    let coordinator = ThreePhaseCommit::new(MemoryJournal::new());

    let add = Gid::new("add-10")?;
    for replica in &replicas {
        replica.stage(&add, 10);
    }
    let decision = block_on(coordinator.run(&add, &all))?;
    println!("add 10: {decision:?} -> {:?}", values(&replicas));

    let take = Gid::new("take-50")?;
    for replica in &replicas {
        replica.stage(&take, -50);
    }
    let decision = block_on(coordinator.run(&take, &all))?;
    println!(
        "take 50 (would go negative): {decision:?} -> {:?}",
        values(&replicas)
    );

    // The coordinator began `add-5`, everyone voted yes, and it died after its `PreCommit`
    // reached `a` only.
    let split = Gid::new("add-5")?;
    block_on(coordinator.journal().append("3pc", split.as_str(), "begun"))?;
    for replica in &replicas {
        replica.stage(&split, 5);
        replica.step(&split, ParticipantEvent::CanCommit);
    }
    replicas[0].step(&split, ParticipantEvent::PreCommit);

    // What the replicas would do alone when their clocks run out (on copies, to compare).
    let alone: Vec<Participant> = replicas
        .iter()
        .map(|r| {
            let copy = Replica::new(r.name);
            let state = block_on(r.state(&split)).unwrap_or(Participant::Working);
            copy.pending
                .lock()
                .unwrap()
                .insert(split.clone(), (state, 0));
            copy.step(&split, ParticipantEvent::Timeout)
        })
        .collect();
    println!("coordinator died mid-PreCommit; deciding alone on timeout: {alone:?}");

    // A restarted coordinator asks them instead (the termination protocol).
    let finished = block_on(coordinator.recover(&all))?;
    println!(
        "recovery asked their states and decided {finished:?} -> {:?}",
        values(&replicas)
    );
    Ok(())
}
