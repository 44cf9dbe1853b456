use patternkit::StateMachine;

enum Ev {
    Go,
}

fn ready(_: &Machine, _: &Ev) -> Result<bool, String> {
    Ok(true)
}

// `?` needs the table's `error = Type`.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [A + Go => B if ready?, B + Go => A])]
enum Machine {
    A,
    B,
}

fn main() {}
