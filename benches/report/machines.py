"""Writes machines_generated.rs: the state machines of the state-machine benchmark, each
written four ways (patternkit, a hand-written match, rust-fsm, statig), and the event
sequences they are driven with.

Modelled on Boost.SML's benchmarks: a simple machine (4 states, a cycle of 4 events) and a
complex one (50 states, 50 events, each state handling 10 of them). The sequences only use
events the current state handles and return to the initial state, so every pass is the same.
Deterministic: `python3 benches/report/machines.py`.
"""

import random
from collections import deque
from pathlib import Path


def machine(name, states, events, rows, sequence):
    s = [f"S{i}" for i in range(states)]
    e = [f"E{i}" for i in range(events)]
    by_state = {}
    for (a, ev, b) in rows:
        by_state.setdefault(a, []).append((ev, b))
    out = [f"pub mod {name} {{", "    #![allow(dead_code, clippy::enum_variant_names, clippy::trivially_copy_pass_by_ref, clippy::too_many_lines, clippy::match_same_arms)]", "    use statig::prelude::*;", ""]
    out.append("    #[derive(Debug, Clone, Copy, PartialEq, Eq)]")
    out.append("    pub enum Ev { " + ", ".join(e) + " }")
    out.append("")
    table = ",\n        ".join(f"S{a} + E{ev} => S{b}" for (a, ev, b) in rows)
    out.append("    #[derive(patternkit::StateMachine, Debug, Clone, Copy, PartialEq, Eq)]")
    out.append("    #[state_machine(event = Ev, initial = S0, transitions = [\n        " + table + ",\n    ])]")
    out.append("    pub enum Pk { " + ", ".join(s) + " }")
    out.append("")
    out.append("    #[derive(Debug, Clone, Copy, PartialEq, Eq)]")
    out.append("    pub enum Hand { " + ", ".join(s) + " }")
    out.append("")
    out.append("    impl Hand {")
    out.append("        #[inline]")
    out.append("        pub fn fire(&mut self, event: &Ev) -> bool {")
    out.append("            *self = match (*self, *event) {")
    for (a, ev, b) in rows:
        out.append(f"                (Hand::S{a}, Ev::E{ev}) => Hand::S{b},")
    out.append("                _ => return false,")
    out.append("            };")
    out.append("            true")
    out.append("        }")
    out.append("    }")
    out.append("")
    out.append("    rust_fsm::state_machine! {")
    out.append("        #[derive(Debug, Clone, Copy, PartialEq, Eq)]")
    out.append("        pub rfsm(S0)")
    for a in sorted(by_state):
        arms = ", ".join(f"E{ev} => S{b}" for (ev, b) in by_state[a])
        out.append(f"        S{a} => {{ {arms} }},")
    out.append("    }")
    out.append("")
    out.append("    #[derive(Default)]")
    out.append("    pub struct St;")
    out.append("")
    out.append('    #[state_machine(initial = "State::s0()")]')
    out.append("    impl St {")
    for i in range(states):
        out.append("        #[state]")
        out.append(f"        fn s{i}(event: &Ev) -> Outcome<State> {{")
        out.append("            match event {")
        for (ev, b) in by_state.get(i, []):
            out.append(f"                Ev::E{ev} => Transition(State::s{b}()),")
        out.append("                _ => Super,")
        out.append("            }")
        out.append("        }")
    out.append("    }")
    out.append("")
    out.append("    pub const SEQUENCE: &[Ev] = &[" + ", ".join(f"Ev::E{x}" for x in sequence) + "];")
    out.append("    pub const RFSM_SEQUENCE: &[rfsm::Input] = &[" + ", ".join(f"rfsm::Input::E{x}" for x in sequence) + "];")
    out.append("}")
    return "\n".join(out)


def walk(rows, length, rng):
    """A walk from S0 of about `length` accepted events that ends back in S0."""
    out = {}
    for (a, ev, b) in rows:
        out.setdefault(a, []).append((ev, b))
    state, events = 0, []
    for _ in range(length):
        ev, state = rng.choice(out[state])
        events.append(ev)
    # Shortest way back to S0.
    previous = {state: None}
    queue = deque([state])
    while queue:
        current = queue.popleft()
        if current == 0:
            break
        for ev, nxt in out[current]:
            if nxt not in previous:
                previous[nxt] = (current, ev)
                queue.append(nxt)
    back = []
    node = 0
    while previous[node] is not None:
        node, ev = previous[node]
        back.append(ev)
    return events + back[::-1]


def main():
    rng = random.Random(20261125)
    simple_rows = [(0, 0, 1), (1, 1, 2), (2, 2, 3), (3, 3, 0)]
    simple = machine("simple", 4, 4, simple_rows, [0, 1, 2, 3])
    complex_rows = []
    for s in range(50):
        for k in range(10):
            ev = (s + k * 5) % 50
            # The first event of each state moves on to the next state, so that every state
            # is reachable and has a way back; the others go anywhere.
            target = (s + 1) % 50 if k == 0 else rng.randrange(50)
            complex_rows.append((s, ev, target))
    sequence = walk(complex_rows, 1024, rng)
    complex_ = machine("complex", 50, 50, complex_rows, sequence)
    header = "// Generated by machines.py; do not edit.\n\n"
    Path(__file__).with_name("machines_generated.rs").write_text(header + simple + "\n\n" + complex_ + "\n")
    # The 50 x 50 machine alone, for measuring what the derive adds to `cargo check`.
    table = ",\n    ".join(f"S{a} + E{ev} => S{b}" for (a, ev, b) in complex_rows)
    states = ", ".join(f"S{i}" for i in range(50))
    events = ", ".join(f"E{i}" for i in range(50))
    probe = (
        "// Generated by machines.py; do not edit.\n\n"
        f"pub enum Ev {{ {events} }}\n\n"
        "#[cfg_attr(feature = \"with_derive\", derive(patternkit::StateMachine))]\n"
        "#[cfg_attr(feature = \"with_derive\", state_machine(event = Ev, initial = S0, transitions = [\n    "
        + table
        + ",\n]))]\n"
        f"pub enum Machine {{ {states} }}\n"
    )
    Path(__file__).with_name("machine_50x50_probe.rs").write_text(probe)


main()
