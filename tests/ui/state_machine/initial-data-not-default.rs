use patternkit::StateMachine;

enum Ev {
    Go,
}

struct Config {
    retries: u8,
}

// The initial state holds data without `Default`, and the table does not give it.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Ready, transitions = [Ready + Go => Done])]
enum Machine {
    Ready(Config),
    #[state(final)]
    Done,
}

fn main() {
    let _ = Config { retries: 3 }.retries;
}
