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

macro_rules! contenders {
    ($machine:ident, $title:literal, $operation:literal) => {
        Group {
            title: $title,
            operation: $operation,
            reference: concat!("machine_", stringify!($machine), "_hand"),
            cases: vec![
                Case {
                    id: concat!("machine_", stringify!($machine), "_hand"),
                    label: "hand-written `match`",
                    run: |n| drive!(n, $machine::Hand::S0, $machine::SEQUENCE, |m, e| m.fire(e)),
                },
                Case {
                    id: concat!("machine_", stringify!($machine), "_patternkit"),
                    label: "patternkit `#[derive(StateMachine)]` `fire`",
                    run: |n| {
                        drive!(n, $machine::Pk::initial(), $machine::SEQUENCE, |m, e| {
                            m.fire(e).is_ok()
                        })
                    },
                },
                Case {
                    id: concat!("machine_", stringify!($machine), "_rust_fsm"),
                    label: "rust-fsm `consume`",
                    run: |n| {
                        drive!(
                            n,
                            $machine::rfsm::StateMachine::new(),
                            $machine::RFSM_SEQUENCE,
                            |m, e| { m.consume(e).is_ok() }
                        )
                    },
                },
                Case {
                    id: concat!("machine_", stringify!($machine), "_statig"),
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
            "State machine: simple (4 states, 4 events)",
            "One event fired per iteration, cycling through A → B → C → D → A."
        ),
        contenders!(
            complex,
            "State machine: complex (50 states, 50 events, 500 transitions)",
            "One event fired per iteration from a walk of 1,000+ events over the table, every \
             one accepted."
        ),
    ]
}
