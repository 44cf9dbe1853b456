use patternkit::StateMachine;

enum Ev {
    Go,
}

fn ready(_: &Machine, _: &Ev) -> bool {
    true
}

// `&&` with nothing after it.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [A + Go => B if ready &&, B + Go => A])]
enum Machine {
    A,
    B,
}

fn main() {}
