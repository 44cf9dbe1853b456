use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Closed + Open  => Closed,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
