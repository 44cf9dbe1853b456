//! `next` and `can` answer what `fire` would do, without doing it, however the derive writes
//! them: a lookup in a `const` array of rows when no row they could answer has a guard or a
//! pattern on the event's fields, the `match` otherwise. Each machine here is checked on every
//! state and every event against its own `fire`.

// The machines are `Copy` only so that each state can be fired from a copy.
#![allow(clippy::trivially_copy_pass_by_ref)]

use patternkit::StateMachine;
use patternkit::state_machine::TransitionInfo;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ev {
    Go,
    Stop,
    Tick,
    Ping {
        loud: bool,
    },
    /// Named by no row.
    Honk,
}

const EVENTS: [Ev; 6] = [
    Ev::Go,
    Ev::Stop,
    Ev::Tick,
    Ev::Ping { loud: true },
    Ev::Ping { loud: false },
    Ev::Honk,
];

/// For every state and event: the row `next` names, whether `can` agrees, and the row `fire`
/// fired (or that it refused). Fails where they disagree.
fn check<M>(states: &[M]) -> usize
where
    M: patternkit::state_machine::StateMachine<Event = Ev, Context = ()> + Copy + core::fmt::Debug,
{
    let mut fired = 0;
    for &state in states {
        for event in EVENTS {
            let next: Option<&TransitionInfo> = state.next(&event, &());
            assert_eq!(
                state.can(&event, &()),
                next.is_some(),
                "{state:?} {event:?}"
            );
            let mut machine = state;
            match machine.fire(&event, &mut ()) {
                Ok(done) => {
                    assert_eq!(next, Some(done.transition()), "{state:?} {event:?}");
                    fired += 1;
                }
                Err(_) => assert_eq!(next, None, "{state:?} {event:?}"),
            }
        }
    }
    fired
}

/// A wildcard source and a wildcard event (which alone answers `Honk`, named by no row), a
/// superstate, an internal row, and `Ping` written as `$ping`: the bare event (a cell of one
/// row that always fires, so `next` is a lookup), or with a pattern on its fields (so `next`
/// keeps the `match`).
#[rustfmt::skip] // rustfmt re-indents an attribute inside a macro on every run.
macro_rules! machine {
    ($name:ident, $($ping:tt)+) => {
        #[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
        #[state_machine(event = Ev, initial = Idle,
            superstate(Working, states = [Busy, Paused]),
            transitions = [
                Idle + Go => Busy,
                Busy + Tick => _,
                Working + Stop => Idle,
                Paused + Go => Busy,
                Busy + $($ping)+ => Paused,
                Done + _ => Idle,
                _ + Tick => Done,
                Idle + Stop => Done,
            ])]
        enum $name {
            Idle,
            Busy,
            Paused,
            Done,
        }
    };
}

machine!(Looked, Ping);
machine!(Patterned, Ping { loud: true });

/// A state the rows never leave by some events, and one no event leaves at all.
#[derive(StateMachine, Debug, Clone, Copy, PartialEq)]
#[state_machine(event = Ev, initial = Open, transitions = [
    Open + Stop => Shut,
])]
enum Gate {
    Open,
    #[state(final)]
    Shut,
}

#[test]
fn next_and_can_agree_with_fire_when_next_is_a_lookup() {
    use Looked::{Busy, Done, Idle, Paused};
    assert_eq!(check(&[Idle, Busy, Paused, Done]), 16);
}

#[test]
fn next_and_can_agree_with_fire_when_a_pattern_keeps_the_match() {
    use Patterned::{Busy, Done, Idle, Paused};
    assert_eq!(check(&[Idle, Busy, Paused, Done]), 15);
    // The pattern decides: a quiet ping is refused where a loud one moves.
    assert!(Busy.can(&Ev::Ping { loud: true }));
    assert!(!Busy.can(&Ev::Ping { loud: false }));
}

#[test]
fn a_final_state_answers_nothing() {
    assert_eq!(check(&[Gate::Open, Gate::Shut]), 1);
    assert_eq!(Gate::Shut.next(&Ev::Stop), None);
    assert_eq!(
        Gate::Open.next(&Ev::Stop).map(|row| row.target),
        Some(Some("Shut"))
    );
}
