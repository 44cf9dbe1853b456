use patternkit::StateMachine;

enum Ev {
    Go,
}

fn note(_: &Ev) {}

// `&` lends the source state's data to the action, but `A` holds none.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [A + Go => B then &note, B + Go => A])]
enum Machine {
    A,
    B,
}

fn main() {}
