use patternkit::StateMachine;

#[derive(StateMachine)]
#[state_machine(transitions = [])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
