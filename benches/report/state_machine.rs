//! Firing events: `#[derive(StateMachine)]` against a hand-written `match`, rust-fsm and
//! statig, on the two machines of Boost.SML's benchmarks (written by `generator.rs`).

use std::hint::black_box;

use crate::harness::{Case, Group, repeat_mut};

include!("generated/machines.rs");

/// One event per iteration, taken in turn from the machine's sequence.
macro_rules! drive {
    ($n:expr, $machine:expr, $sequence:expr, |$m:ident, $event:ident| $fire:expr) => {{
        let mut $m = $machine;
        let sequence = black_box($sequence);
        let mut next = 0;
        repeat_mut($n, || {
            let $event = &sequence[next];
            next += 1;
            if next == sequence.len() {
                next = 0;
            }
            $fire
        });
        black_box(&$m);
    }};
}

/// What the caller does with `fire`'s result: drops it, keeps all of it, or keeps whether it
/// was accepted. A hand-written step returns only that `bool`; statig's `handle` returns
/// nothing.
macro_rules! outcome {
    (dropped, $fire:expr) => {{
        let _ = $fire;
    }};
    (kept, $fire:expr) => {
        $fire
    };
    (accepted, $fire:expr) => {
        $fire.is_ok()
    };
}

macro_rules! hand_outcome {
    (dropped, $fire:expr) => {{
        let _ = $fire;
    }};
    ($keep:ident, $fire:expr) => {
        $fire
    };
}

macro_rules! contenders {
    ($machine:ident, $keep:ident, $id:literal, $title:literal, $operation:literal) => {
        Group {
            title: $title,
            operation: $operation,
            reference: concat!($id, "_hand"),
            cases: vec![
                Case {
                    id: concat!($id, "_hand"),
                    label: "hand-written `match`",
                    run: |n| {
                        drive!(n, $machine::Hand::S0, $machine::SEQUENCE, |m, e| {
                            hand_outcome!($keep, m.fire(e))
                        })
                    },
                },
                Case {
                    id: concat!($id, "_patternkit"),
                    label: "patternkit `#[derive(StateMachine)]` `fire`",
                    run: |n| {
                        drive!(n, $machine::Pk::initial(), $machine::SEQUENCE, |m, e| {
                            outcome!($keep, m.fire(e))
                        })
                    },
                },
                Case {
                    id: concat!($id, "_rust_fsm"),
                    label: "rust-fsm `consume`",
                    run: |n| {
                        drive!(
                            n,
                            $machine::rfsm::StateMachine::new(),
                            $machine::RFSM_SEQUENCE,
                            |m, e| { outcome!($keep, m.consume(e)) }
                        )
                    },
                },
                Case {
                    id: concat!($id, "_statig"),
                    label: "statig `handle`",
                    run: |n| {
                        use statig::prelude::IntoStateMachineExt as _;
                        drive!(
                            n,
                            $machine::St.state_machine(),
                            $machine::SEQUENCE,
                            |m, e| m.handle(e)
                        )
                    },
                },
            ],
        }
    };
}

pub fn groups() -> Vec<Group> {
    vec![
        contenders!(
            simple,
            accepted,
            "machine_simple",
            "State machine: simple (4 states, 4 events)",
            "One event fired per iteration, cycling through A → B → C → D → A; the caller keeps \
             whether it was accepted."
        ),
        contenders!(
            simple,
            kept,
            "machine_simple_kept",
            "State machine: simple, result kept",
            "As above, the caller keeping the whole result of each event (a hand-written step \
             has only its `bool`; statig's `handle` returns nothing)."
        ),
        contenders!(
            simple,
            dropped,
            "machine_simple_dropped",
            "State machine: simple, result dropped",
            "As above, the caller dropping each result: what statig's `handle`, which returns \
             nothing, is measured doing in every shape."
        ),
        contenders!(
            complex,
            accepted,
            "machine_complex",
            "State machine: complex (50 states, 50 events, 500 transitions)",
            "One event fired per iteration from a walk of 1,000+ events over the table, every \
             one accepted."
        ),
        contenders!(
            large,
            kept,
            "machine_large_kept",
            "State machine: large (60 states, 60 events, 1,920 transitions), rejected events, result kept",
            "One event per iteration from a walk of 1,000+ events in which one in four is \
             rejected by the state it reaches; the caller keeps the whole result."
        ),
        contenders!(
            large,
            dropped,
            "machine_large_dropped",
            "State machine: large, rejected events, result dropped",
            "The same walk; the caller drops each result."
        ),
    ]
}
