use patternkit::StateMachine;

enum Ev {
    Go,
}

// `initial = State(data)` on a state that holds no data.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Ready(3), transitions = [Ready + Go => Done])]
enum Machine {
    Ready,
    #[state(final)]
    Done,
}

fn main() {}
