use patternkit::StateMachine;

enum Ev {
    Go,
    Job,
}

// `A` defers `Job` but also has a row for it.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [A + Go => B, B + Go => A, A + Job => _])]
enum Machine {
    #[state(defer = [Job])]
    A,
    B,
}

fn main() {}
