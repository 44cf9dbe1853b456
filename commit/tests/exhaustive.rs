//! Every interleaving of one coordinator and three participants, driven by the protocols'
//! own state machines: messages delivered in any order, lost, duplicated; the coordinator
//! and a participant crashing and recovering at any point; timeouts firing at any moment.
//!
//! 2PC: no participant ever commits while another aborts (TLA+ `TwoPhase`'s consistency
//! invariant), and from every state reached, the transaction still ends once failures stop.
//! 3PC: the search finds a run where one participant commits and another aborts — the
//! partition caveat — and prints it.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt::Debug;
use std::hash::Hash;
use std::hash::Hasher;

use patternkit_commit::{Decision, Effect, Peer, three_phase, two_phase};

const PARTICIPANTS: usize = 3;

/// One protocol, as the search sees it: the machines' steps and what crashing does.
trait Protocol: Clone + Eq + Hash + Debug {
    type Coordinator: Clone + Eq + Hash + Debug;
    type Participant: Clone + Eq + Hash + Debug;
    type ToParticipant: Copy + Eq + Hash + Ord + Debug;
    type ToCoordinator: Copy + Eq + Hash + Ord + Debug;

    fn start() -> Self::Coordinator;
    fn begin(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>>;
    fn coordinator_hears(
        c: &mut Self::Coordinator,
        from: Peer,
        message: Self::ToCoordinator,
    ) -> Vec<Effect<Self::ToParticipant>>;
    fn coordinator_times_out(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>>;
    fn coordinator_recovers(
        logged: Option<Decision>,
    ) -> (Self::Coordinator, Vec<Effect<Self::ToParticipant>>);
    fn participant(me: Peer, can_commit: bool) -> Self::Participant;
    fn participant_hears(
        p: &mut Self::Participant,
        message: Self::ToParticipant,
    ) -> Vec<Effect<Self::ToCoordinator>>;
    fn participant_times_out(p: &mut Self::Participant) -> Vec<Effect<Self::ToCoordinator>>;
    fn participant_recovers(p: &mut Self::Participant);
    fn outcome(p: &Self::Participant) -> Option<Decision>;
}

/// A message in flight: to participant `peer`, or from it to the coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Flight<P, C> {
    Down(Peer, P),
    Up(Peer, C),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct World<X: Protocol> {
    coordinator: X::Coordinator,
    participants: Vec<X::Participant>,
    log: Option<Decision>,
    /// Messages in flight. A second copy of one in flight adds nothing new to deliver, so
    /// the network is a set; a duplicate is a delivery that leaves the message in flight.
    network: BTreeSet<Flight<X::ToParticipant, X::ToCoordinator>>,
    losses: u8,
    duplicates: u8,
    coordinator_crashes: u8,
    participant_crashes: u8,
}

impl<X: Protocol> World<X> {
    fn new(can_commit: [bool; PARTICIPANTS], (losses, duplicates): (u8, u8)) -> Self {
        World {
            coordinator: X::start(),
            participants: (0..PARTICIPANTS)
                .map(|i| X::participant(i, can_commit[i]))
                .collect(),
            log: None,
            network: BTreeSet::new(),
            losses,
            duplicates,
            coordinator_crashes: 1,
            participant_crashes: 1,
        }
    }

    fn send(&mut self, flight: Flight<X::ToParticipant, X::ToCoordinator>) {
        self.network.insert(flight);
    }

    fn take(&mut self, flight: &Flight<X::ToParticipant, X::ToCoordinator>) {
        self.network.remove(flight);
    }

    fn down(&mut self, effects: Vec<Effect<X::ToParticipant>>) {
        for effect in effects {
            match effect {
                Effect::Log(decision) => self.log = Some(decision),
                Effect::Deliver(peer, message) => self.send(Flight::Down(peer, message)),
            }
        }
    }

    fn up(&mut self, effects: Vec<Effect<X::ToCoordinator>>) {
        for effect in effects {
            if let Effect::Deliver(peer, message) = effect {
                self.send(Flight::Up(peer, message));
            }
        }
    }

    fn deliver(&mut self, flight: Flight<X::ToParticipant, X::ToCoordinator>, keep: bool) {
        if !keep {
            self.take(&flight);
        }
        match flight {
            Flight::Down(peer, message) => {
                let effects = X::participant_hears(&mut self.participants[peer], message);
                self.up(effects);
            }
            Flight::Up(peer, message) => {
                let effects = X::coordinator_hears(&mut self.coordinator, peer, message);
                self.down(effects);
            }
        }
    }

    /// Every step the world can take from here; `true` marks a fault.
    fn successors(&self) -> Vec<(Self, bool)> {
        let mut next = Vec::new();
        for flight in &self.network {
            let mut world = self.clone();
            world.deliver(*flight, false);
            next.push((world, false));
            if self.losses > 0 {
                let mut world = self.clone();
                world.take(flight);
                world.losses -= 1;
                next.push((world, true));
            }
            if self.duplicates > 0 {
                let mut world = self.clone();
                world.deliver(*flight, true);
                world.duplicates -= 1;
                next.push((world, true));
            }
        }
        let mut world = self.clone();
        let effects = X::coordinator_times_out(&mut world.coordinator);
        world.down(effects);
        next.push((world, false));
        for i in 0..PARTICIPANTS {
            let mut world = self.clone();
            let effects = X::participant_times_out(&mut world.participants[i]);
            world.up(effects);
            next.push((world, false));
            if self.participant_crashes > 0 {
                let mut world = self.clone();
                X::participant_recovers(&mut world.participants[i]);
                world.participant_crashes -= 1;
                next.push((world, true));
            }
        }
        if self.coordinator_crashes > 0 {
            let mut world = self.clone();
            let (coordinator, effects) = X::coordinator_recovers(world.log);
            world.coordinator = coordinator;
            world.down(effects);
            world.coordinator_crashes -= 1;
            next.push((world, true));
        }
        next.retain(|(world, _)| world != self);
        next
    }

    fn outcomes(&self) -> Vec<Option<Decision>> {
        self.participants.iter().map(X::outcome).collect()
    }

    fn consistent(&self) -> bool {
        let outcomes = self.outcomes();
        !(outcomes.contains(&Some(Decision::Commit)) && outcomes.contains(&Some(Decision::Abort)))
    }

    /// Whether the transaction ends from here when nothing more fails: deliver what is in
    /// flight in order, and let timeouts fire only when nothing is. `ending` holds worlds
    /// already known to end, so a run shared by many worlds is followed once.
    fn ends_without_faults(&self, ending: &mut HashSet<u64>) -> bool {
        let mut world = self.clone();
        let mut passed = Vec::new();
        for _ in 0..200 {
            let print = fingerprint(&world);
            if ending.contains(&print) || world.outcomes().iter().all(Option::is_some) {
                ending.extend(passed);
                return true;
            }
            passed.push(print);
            if let Some(flight) = world.network.iter().next().copied() {
                world.deliver(flight, false);
                continue;
            }
            let effects = X::coordinator_times_out(&mut world.coordinator);
            world.down(effects);
            for i in 0..PARTICIPANTS {
                let effects = X::participant_times_out(&mut world.participants[i]);
                world.up(effects);
            }
        }
        false
    }
}

fn fingerprint<T: Hash>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Breadth-first over every world reachable from the start of a transaction, remembering
/// each by a 64-bit fingerprint (as TLC does) and its parent, so a violation comes with the
/// run that led to it.
fn explore<X: Protocol>(
    can_commit: [bool; PARTICIPANTS],
    faults: (u8, u8),
    mut check: impl FnMut(&World<X>) -> Result<(), String>,
) -> Result<usize, (String, Vec<World<X>>)> {
    let mut start = World::<X>::new(can_commit, faults);
    let effects = X::begin(&mut start.coordinator);
    start.down(effects);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut worlds: Vec<(World<X>, Option<usize>)> = Vec::new();
    let mut queue = VecDeque::new();
    seen.insert(fingerprint(&start));
    worlds.push((start, None));
    queue.push_back(0);
    while let Some(at) = queue.pop_front() {
        if let Err(why) = check(&worlds[at].0) {
            let mut path = Vec::new();
            let mut cursor = Some(at);
            while let Some(i) = cursor {
                path.push(worlds[i].0.clone());
                cursor = worlds[i].1;
            }
            path.reverse();
            return Err((why, path));
        }
        for (next, _) in worlds[at].0.successors() {
            if seen.insert(fingerprint(&next)) {
                worlds.push((next, Some(at)));
                queue.push_back(worlds.len() - 1);
            }
        }
    }
    Ok(seen.len())
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TwoPhase;

impl Protocol for TwoPhase {
    type Coordinator = (two_phase::Coordinator, two_phase::CoordinatorCx);
    type Participant = (two_phase::Participant, two_phase::ParticipantCx);
    type ToParticipant = two_phase::ToParticipant;
    type ToCoordinator = two_phase::ToCoordinator;

    fn start() -> Self::Coordinator {
        (
            two_phase::Coordinator::initial(),
            two_phase::CoordinatorCx::new(PARTICIPANTS),
        )
    }
    fn begin(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>> {
        coordinator_step2(c, two_phase::CoordinatorEvent::Begin)
    }
    fn coordinator_hears(
        c: &mut Self::Coordinator,
        from: Peer,
        message: Self::ToCoordinator,
    ) -> Vec<Effect<Self::ToParticipant>> {
        use two_phase::{CoordinatorEvent as E, ToCoordinator as M};
        let event = match message {
            M::Vote(yes) => E::Vote { from, yes },
            M::Ack => E::Ack { from },
            M::Query => E::Query { from },
        };
        coordinator_step2(c, event)
    }
    fn coordinator_times_out(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>> {
        coordinator_step2(c, two_phase::CoordinatorEvent::Timeout)
    }
    fn coordinator_recovers(
        logged: Option<Decision>,
    ) -> (Self::Coordinator, Vec<Effect<Self::ToParticipant>>) {
        let (state, mut cx) = two_phase::Coordinator::recover(logged, PARTICIPANTS);
        let effects = std::mem::take(&mut cx.effects);
        ((state, cx), effects)
    }
    fn participant(me: Peer, can_commit: bool) -> Self::Participant {
        (
            two_phase::Participant::initial(),
            two_phase::ParticipantCx::new(me, can_commit),
        )
    }
    fn participant_hears(
        p: &mut Self::Participant,
        message: Self::ToParticipant,
    ) -> Vec<Effect<Self::ToCoordinator>> {
        use two_phase::{ParticipantEvent as E, ToParticipant as M};
        let event = match message {
            M::Prepare => E::Prepare,
            M::Commit => E::Commit,
            M::Abort => E::Abort,
        };
        let _ = p.0.fire(&event, &mut p.1);
        std::mem::take(&mut p.1.effects)
    }
    fn participant_times_out(p: &mut Self::Participant) -> Vec<Effect<Self::ToCoordinator>> {
        let _ = p.0.fire(&two_phase::ParticipantEvent::Timeout, &mut p.1);
        std::mem::take(&mut p.1.effects)
    }
    fn participant_recovers(p: &mut Self::Participant) {
        p.0 = p.0.recover();
    }
    fn outcome(p: &Self::Participant) -> Option<Decision> {
        match p.0 {
            two_phase::Participant::Committed => Some(Decision::Commit),
            two_phase::Participant::Aborted => Some(Decision::Abort),
            _ => None,
        }
    }
}

fn coordinator_step2(
    c: &mut (two_phase::Coordinator, two_phase::CoordinatorCx),
    event: two_phase::CoordinatorEvent,
) -> Vec<Effect<two_phase::ToParticipant>> {
    let _ = c.0.fire(&event, &mut c.1);
    std::mem::take(&mut c.1.effects)
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ThreePhase;

impl Protocol for ThreePhase {
    type Coordinator = (three_phase::Coordinator, three_phase::CoordinatorCx);
    type Participant = (three_phase::Participant, three_phase::ParticipantCx);
    type ToParticipant = three_phase::ToParticipant;
    type ToCoordinator = three_phase::ToCoordinator;

    fn start() -> Self::Coordinator {
        (
            three_phase::Coordinator::initial(),
            three_phase::CoordinatorCx::new(PARTICIPANTS),
        )
    }
    fn begin(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>> {
        coordinator_step3(c, three_phase::CoordinatorEvent::Begin)
    }
    fn coordinator_hears(
        c: &mut Self::Coordinator,
        from: Peer,
        message: Self::ToCoordinator,
    ) -> Vec<Effect<Self::ToParticipant>> {
        use three_phase::{CoordinatorEvent as E, ToCoordinator as M};
        let event = match message {
            M::Vote(yes) => E::Vote { from, yes },
            M::PreAck => E::PreAck { from },
            M::Ack => E::Ack { from },
        };
        coordinator_step3(c, event)
    }
    fn coordinator_times_out(c: &mut Self::Coordinator) -> Vec<Effect<Self::ToParticipant>> {
        coordinator_step3(c, three_phase::CoordinatorEvent::Timeout)
    }
    fn coordinator_recovers(
        logged: Option<Decision>,
    ) -> (Self::Coordinator, Vec<Effect<Self::ToParticipant>>) {
        // 3PC has no recovery of its own here: participants finish by timing out.
        let mut cx = three_phase::CoordinatorCx::new(PARTICIPANTS);
        cx.decision = logged;
        let state = match logged {
            Some(Decision::Commit) => three_phase::Coordinator::Committing,
            _ => three_phase::Coordinator::Aborting,
        };
        ((state, cx), Vec::new())
    }
    fn participant(me: Peer, can_commit: bool) -> Self::Participant {
        (
            three_phase::Participant::initial(),
            three_phase::ParticipantCx::new(me, can_commit),
        )
    }
    fn participant_hears(
        p: &mut Self::Participant,
        message: Self::ToParticipant,
    ) -> Vec<Effect<Self::ToCoordinator>> {
        use three_phase::{ParticipantEvent as E, ToParticipant as M};
        let event = match message {
            M::CanCommit => E::CanCommit,
            M::PreCommit => E::PreCommit,
            M::DoCommit => E::DoCommit,
            M::Abort => E::Abort,
        };
        let _ = p.0.fire(&event, &mut p.1);
        std::mem::take(&mut p.1.effects)
    }
    fn participant_times_out(p: &mut Self::Participant) -> Vec<Effect<Self::ToCoordinator>> {
        let _ = p.0.fire(&three_phase::ParticipantEvent::Timeout, &mut p.1);
        std::mem::take(&mut p.1.effects)
    }
    fn participant_recovers(p: &mut Self::Participant) {
        if p.0 == three_phase::Participant::Working {
            p.0 = three_phase::Participant::Aborted;
        }
    }
    fn outcome(p: &Self::Participant) -> Option<Decision> {
        match p.0 {
            three_phase::Participant::Committed => Some(Decision::Commit),
            three_phase::Participant::Aborted => Some(Decision::Abort),
            _ => None,
        }
    }
}

fn coordinator_step3(
    c: &mut (three_phase::Coordinator, three_phase::CoordinatorCx),
    event: three_phase::CoordinatorEvent,
) -> Vec<Effect<three_phase::ToParticipant>> {
    let _ = c.0.fire(&event, &mut c.1);
    std::mem::take(&mut c.1.effects)
}

/// How many messages may be lost and duplicated in a run. By default one loss and no
/// duplicate (about half a million worlds); `PK_COMMIT_SEARCH=full` adds a duplicate (over
/// twelve million, a few minutes).
fn faults() -> (u8, u8) {
    if std::env::var("PK_COMMIT_SEARCH").as_deref() == Ok("full") {
        (1, 1)
    } else {
        (1, 0)
    }
}

#[test]
fn two_phase_commit_is_consistent_and_ends_in_every_interleaving() {
    let mut total = 0;
    for can_commit in [[true, true, true], [true, false, true]] {
        let mut ending = HashSet::new();
        let explored = explore::<TwoPhase>(can_commit, faults(), |world| {
            if !world.consistent() {
                return Err(format!(
                    "committed and aborted at once: {:?}",
                    world.outcomes()
                ));
            }
            if !world.ends_without_faults(&mut ending) {
                return Err("the transaction cannot end once failures stop".into());
            }
            if world.log == Some(Decision::Commit) && !can_commit.iter().all(|c| *c) {
                return Err("commit logged although a participant voted no".into());
            }
            Ok(())
        });
        match explored {
            Ok(states) => total += states,
            Err((why, path)) => panic!("{why}\n{path:#?}"),
        }
    }
    println!("2PC: {total} states explored, every one consistent and able to end");
    assert!(total > 50_000, "{total}");
}

#[test]
fn three_phase_commit_is_inconsistent_under_a_partition_and_the_search_finds_it() {
    let explored = explore::<ThreePhase>([true, true, true], faults(), |world| {
        if world.consistent() {
            Ok(())
        } else {
            Err(format!(
                "committed and aborted at once: {:?}",
                world.outcomes()
            ))
        }
    });
    let Err((why, path)) = explored else {
        panic!("3PC's partition counterexample was not found");
    };
    println!("3PC counterexample ({why}), {} steps:", path.len());
    for world in &path {
        println!(
            "  coordinator {:?}, participants {:?}",
            world.coordinator.0,
            world.participants.iter().map(|p| p.0).collect::<Vec<_>>()
        );
    }
    let last = path.last().map(World::outcomes).unwrap_or_default();
    assert!(last.contains(&Some(Decision::Commit)) && last.contains(&Some(Decision::Abort)));
}
