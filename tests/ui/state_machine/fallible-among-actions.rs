use patternkit::StateMachine;

enum Ev {
    Go,
}

fn first(_: &Ev) {}
fn second(_: &Ev) -> Result<(), String> {
    Ok(())
}

// A fallible action must be the row's only action.
#[derive(StateMachine)]
#[state_machine(event = Ev, error = String, initial = A, transitions = [
    A + Go => B then (first, second?),
    B + Go => A,
])]
enum Machine {
    A,
    B,
}

fn main() {}
