//! Orthogonal regions: machines side by side, each reacting to every event. After
//! Boost.SML's orthogonal-regions example: one event moves both regions, another only one.

use patternkit::StateMachine;
use patternkit::state_machine::{Regions, RegionsFired};

enum Ev {
    E1,
    E2,
    E3,
}

fn enter_s2(log: &mut Vec<&'static str>) {
    log.push("region 2 enters S2");
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Vec<&'static str>, initial = Idle,
    superstate(Busy, states = [S1]),
    transitions = [
        Idle + E1 => S1,
        S1 + E2 => Done,
    ])]
enum First {
    Idle,
    S1,
    #[state(final)]
    Done,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Vec<&'static str>, initial = Idle2, transitions = [
    Idle2 + E1 => S2,
    S2 + E3 => Done2,
])]
enum Second {
    Idle2,
    #[state(entry = enter_s2)]
    S2,
    #[state(final)]
    Done2,
}

#[test]
fn every_region_reacts_to_every_event() {
    let mut log = Vec::new();
    let mut machine = Regions::<(First, Second)>::initial();
    machine.start(&mut log);
    // `E1` moves both regions.
    let outcome = machine.fire(&Ev::E1, &mut log);
    assert!(outcome.0.is_ok() && outcome.1.is_ok());
    assert!(machine.is_in("Busy") && machine.is_in("S2"));
    // `E2` only the first; `E3` only the second.
    let outcome = machine.fire(&Ev::E2, &mut log);
    assert!(outcome.any() && outcome.1.is_err());
    assert!(machine.fire(&Ev::E3, &mut log).1.is_ok());
    assert_eq!(machine.0, (First::Done, Second::Done2));
    // Neither region takes `E1` any more.
    assert!(!machine.fire(&Ev::E1, &mut log).any());
    assert_eq!(log, ["region 2 enters S2"]);
}
