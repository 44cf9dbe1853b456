use patternkit::StateMachine;

enum Ev {
    Go,
}

fn enter() {}
fn leave() {}

// `Running` surrounds every state: it is entered once, by `start`, and never left.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A,
    superstate(Running, states = [A, B], entry = enter, exit = leave),
    transitions = [A + Go => B, B + Go => A])]
enum Machine {
    A,
    B,
}

fn main() {}
