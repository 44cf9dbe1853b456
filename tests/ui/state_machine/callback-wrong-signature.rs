use patternkit::{Fired, StateMachine};

enum Ev {
    Go,
}

// A callback of a machine without a context takes none; this one asks for one.
fn moved(_: Fired<Machine>, _: &Ev, _: &mut Vec<String>) {}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, on_transition = moved, transitions = [A + Go => B, B + Go => A])]
enum Machine {
    A,
    B,
}

fn main() {}
