use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, start = Closed, transitions = [
    Closed + Open  => Opened,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    #[state(initial)]
    Closed,
}

fn main() {}
