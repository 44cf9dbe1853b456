//! A machine written `dispatch = table` (or, without it, a large dense one) fires by one
//! lookup in a table of cells instead of a `match`. Its behaviour must be the `match`'s to the
//! bit: the same row, the same states, the same rejections, for every state and every event —
//! checked here against twins written `dispatch = match`.

// Guards and callbacks take the event by reference, as the table requires; these events and
// machines are `Copy` only so that the test can compare every state with every event.
#![allow(clippy::trivially_copy_pass_by_ref)]

use patternkit::StateMachine;
use patternkit::state_machine::History;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ev {
    Go,
    Stop,
    Reset,
    Pause,
    /// Named by no row.
    Honk,
}

const EVENTS: [Ev; 5] = [Ev::Go, Ev::Stop, Ev::Reset, Ev::Pause, Ev::Honk];

/// The same rows, fired as `$dispatch` says: every row only moves, so with `table` the
/// lookup fires them all but for the events the table does not name (`Archived + _`).
#[rustfmt::skip] // rustfmt re-indents an attribute inside a macro on every run.
macro_rules! plain_machine {
    ($name:ident, $dispatch:tt) => {
        #[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
        #[state_machine(event = Ev, initial = Idle, dispatch = $dispatch,
            superstate(Active, states = [Busy, Paused]),
            transitions = [
                Idle + Go => Busy,
                Busy + Pause => Paused,
                Paused + Go => Busy,
                Active + Stop => Idle,
                Busy + Stop => Done,
                _ + Reset => Idle,
                Done + Reset => Done,
                Done + Go => Archived,
                Archived + Go => Sealed,
                Sealed + Go => Shipped,
                Shipped + Go => Closed,
                Closed + Stop => Idle,
                Archived + _ => Idle,
            ])]
        enum $name {
            Idle,
            Busy,
            Paused,
            Done,
            Archived,
            Sealed,
            Shipped,
            Closed,
        }
    };
}

plain_machine!(Pure, table);
plain_machine!(Matched, match);

/// A guard and an action too: the `match` also fires their two cells.
#[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
#[state_machine(event = Ev, initial = Idle, dispatch = table,
    superstate(Active, states = [Busy, Paused]),
    transitions = [
        Idle + Go => Busy if yes,
        Busy + Pause => Paused then noop,
        Paused + Go => Busy,
        Active + Stop => Idle,
        Busy + Stop => Done,
        _ + Reset => Idle,
        Done + Reset => Done,
        Done + Go => Archived,
        Archived + Go => Sealed,
        Sealed + Go => Shipped,
        Shipped + Go => Closed,
        Closed + Stop => Idle,
        Archived + _ => Idle,
    ])]
enum Mixed {
    Idle,
    Busy,
    Paused,
    Done,
    Archived,
    Sealed,
    Shipped,
    Closed,
}

fn yes<M>(_: &M, _: &Ev) -> bool {
    true
}

fn noop(_: &Ev) {}

/// The machine's states in declaration order.
macro_rules! states {
    ($machine:ident) => {
        [
            $machine::Idle,
            $machine::Busy,
            $machine::Paused,
            $machine::Done,
            $machine::Archived,
            $machine::Sealed,
            $machine::Shipped,
            $machine::Closed,
        ]
    };
}

/// What firing `event` in each state gives: the state after, and the row with its states
/// or the rejection's message.
macro_rules! outcomes {
    ($machine:ident) => {{
        let mut outcomes = Vec::new();
        for state in states!($machine) {
            for event in EVENTS {
                let mut machine = state;
                let next = state.next(&event).map(|row| (row.source, row.event));
                let outcome = match machine.fire(&event) {
                    Ok(fired) => {
                        let row = &$machine::TRANSITIONS[fired.row_index()];
                        assert_eq!(next, Some((row.source, row.event)));
                        Ok((
                            fired.from(),
                            fired.to(),
                            fired.row_index(),
                            fired.table_row(),
                        ))
                    }
                    Err(rejected) => {
                        assert_eq!(
                            machine, state,
                            "a rejected event leaves the state as it was"
                        );
                        assert!(!state.can(&event));
                        Err((rejected.to_string(), rejected.rejection()))
                    }
                };
                outcomes.push((machine.state_index(), outcome));
            }
        }
        outcomes
    }};
}

#[test]
fn every_state_and_event_fires_as_the_match_does() {
    let matched = outcomes!(Matched);
    assert_eq!(outcomes!(Pure), matched);
    assert_eq!(outcomes!(Mixed), matched);
    assert_eq!(matched.iter().filter(|(_, o)| o.is_ok()).count(), 21);
}

#[test]
fn the_most_specific_row_wins_in_the_table_too() {
    let mut machine = Pure::Busy;
    let fired = machine.fire(&Ev::Stop).unwrap();
    assert_eq!((fired.from(), fired.to()), ("Busy", "Done"));
    let mut machine = Pure::Paused;
    let fired = machine.fire(&Ev::Stop).unwrap();
    assert_eq!((fired.from(), fired.to()), ("Paused", "Idle"));
    let mut done = Pure::Done;
    assert_eq!(done.fire(&Ev::Reset).unwrap().to(), "Done");
    assert_eq!(
        Pure::Idle.clone().fire(&Ev::Honk).unwrap_err().to_string(),
        "state `Idle` does not accept event `?`"
    );
}

#[derive(Default)]
struct Seen {
    moves: Vec<(&'static str, &'static str)>,
    refused: usize,
}

fn moved(fired: patternkit::state_machine::Fired<Logged>, _: &Ev, seen: &mut Seen) {
    seen.moves.push((fired.from(), fired.to()));
}

fn refused(_: patternkit::state_machine::InvalidTransition<Logged>, _: &Ev, seen: &mut Seen) {
    seen.refused += 1;
}

#[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
#[state_machine(event = Ev, context = Seen, initial = Off, dispatch = table,
    on_transition = moved, on_unhandled = refused,
    transitions = [
        Off + Go => On,
        On + Stop => Off,
        On + Pause => L3,
        L3 + Pause => L4,
        L4 + Pause => L5,
        L5 + Pause => L6,
        L6 + Pause => L7,
        L7 + Pause => L8,
        L8 + Reset => Off,
    ])]
enum Logged {
    Off,
    On,
    L3,
    L4,
    L5,
    L6,
    L7,
    L8,
}

#[test]
fn callbacks_run_around_a_table_as_around_a_match() {
    let mut seen = Seen::default();
    let mut machine = Logged::initial();
    machine.fire(&Ev::Go, &mut seen).unwrap();
    machine.fire(&Ev::Go, &mut seen).unwrap_err();
    machine.fire(&Ev::Stop, &mut seen).unwrap();
    assert_eq!(seen.moves, [("Off", "On"), ("On", "Off")]);
    assert_eq!(seen.refused, 1);
}

/// An event that borrows.
enum Line<'a> {
    Text(&'a str),
    Blank,
}

/// A generic machine whose last state carries data (entered by an action, so by the
/// `match`), firing borrowed events, with an error type for its fallible guard: the table
/// serves the other cells.
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Line<'_>, error = Refused, initial = S1, dispatch = table, transitions = [
    S1 + Text => S2, S2 + Text => S3, S3 + Text => S4, S4 + Text => S5,
    S5 + Text => S6, S6 + Text => S7, S7 + Text => S1,
    S1 + Blank => S2, S2 + Blank => S3, S3 + Blank => S4, S4 + Blank => S5,
    S7 + Blank => Held then hold,
    Held + Text => S1 if open?,
])]
enum Reader<T: Default + core::fmt::Debug + PartialEq> {
    S1,
    S2,
    S3,
    S4,
    S5,
    S6,
    S7,
    Held(T),
}

#[derive(Debug, PartialEq)]
struct Refused;

fn hold<T: Default>(_: &Line<'_>) -> T {
    T::default()
}

fn open<T: Default + core::fmt::Debug + PartialEq>(
    _: &Reader<T>,
    line: &Line<'_>,
) -> Result<bool, Refused> {
    match line {
        Line::Text("no") => Err(Refused),
        Line::Text(_) | Line::Blank => Ok(true),
    }
}

#[test]
fn generic_borrowing_and_fallible_machines_use_the_table_too() {
    use patternkit::state_machine::FireError;
    let mut reader: Reader<u8> = Reader::initial();
    let text = String::from("hello");
    for to in ["S2", "S3", "S4", "S5", "S6", "S7"] {
        let fired = reader.fire(&Line::Text(&text)).unwrap();
        assert_eq!(fired.to(), to);
        assert_eq!(fired.transition().event, "Text");
    }
    assert_eq!(reader, Reader::S7);
    reader.fire(&Line::Blank).unwrap();
    assert_eq!(reader, Reader::Held(0));
    assert_eq!(
        reader.fire(&Line::Text("no")),
        Err(FireError::Guard(Refused))
    );
    assert_eq!(reader, Reader::Held(0));
    let mut six = Reader::<u8>::S6;
    assert!(matches!(
        six.fire(&Line::Blank),
        Err(FireError::Rejected(_))
    ));
    reader.fire(&Line::Text("yes")).unwrap();
    assert_eq!(reader, Reader::S1);
}

#[test]
fn next_and_can_read_the_table_as_fire_does() {
    let states = [
        Logged::Off,
        Logged::On,
        Logged::L3,
        Logged::L4,
        Logged::L5,
        Logged::L6,
        Logged::L7,
        Logged::L8,
    ];
    let mut accepted = 0;
    for state in states {
        for event in EVENTS {
            let mut seen = Seen::default();
            let next = state.next(&event, &seen).map(|row| (row.source, row.event));
            let can = state.can(&event, &seen);
            let mut machine = state;
            match machine.fire(&event, &mut seen) {
                Ok(fired) => {
                    let row = fired.transition();
                    assert_eq!(next, Some((row.source, row.event)));
                    assert!(can);
                    accepted += 1;
                }
                Err(_) => assert!(next.is_none() && !can),
            }
        }
    }
    assert_eq!(accepted, 9);
}

/// What the jukebox reacts to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Play,
    Next,
    Pause,
    Resume,
    Stop,
    Eject,
}

const KEYS: [Key; 6] = [
    Key::Play,
    Key::Next,
    Key::Pause,
    Key::Resume,
    Key::Stop,
    Key::Eject,
];

/// A jukebox of eight states whose superstate remembers the track (deep history), fired as
/// `$dispatch` says: with `table`, rows into the superstate and out of it are left to the
/// `match` and the moves between tracks are in the table.
#[rustfmt::skip] // rustfmt re-indents an attribute inside a macro on every run.
macro_rules! jukebox {
    ($name:ident, $dispatch:tt) => {
        #[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
        #[state_machine(event = Key, context = History<$name>, initial = Idle,
            dispatch = $dispatch,
            superstate(Playing, states = [Track1, Track2, Track3, Track4, Track5], history = deep),
            transitions = [
                Idle + Play => Playing,
                Track1 + Next => Track2,
                Track2 + Next => Track3,
                Track3 + Next => Track4,
                Track4 + Next => Track5,
                Track5 + Next => Track1,
                Playing + Pause => Paused,
                Paused + Resume => Playing,
                Paused + Stop => Idle,
                Idle | Paused + Eject => Ejected,
                Ejected + Play => Idle,
            ])]
        enum $name {
            Idle,
            Track1,
            Track2,
            Track3,
            Track4,
            Track5,
            Paused,
            Ejected,
        }
    };
}

jukebox!(Jukebox, table);
jukebox!(MatchedJukebox, match);

#[test]
fn history_rows_fall_back_on_the_match_and_agree_with_it() {
    let (mut table, mut matched) = (Jukebox::initial(), MatchedJukebox::initial());
    let (mut table_history, mut matched_history) = (History::default(), History::default());
    // A fixed pseudo-random walk over the keys.
    let mut seed = 0x2545_f491_u32;
    for step in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let key = KEYS[seed as usize % KEYS.len()];
        let a = table.fire(&key, &mut table_history);
        let b = matched.fire(&key, &mut matched_history);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(
                    (a.from(), a.to()),
                    (b.from(), b.to()),
                    "step {step}: {key:?}"
                );
                assert_eq!(a.table_row(), b.table_row());
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("step {step}: {key:?}: {a:?} against {b:?}"),
        }
        assert_eq!(table.state_name(), matched.state_name());
    }
}
