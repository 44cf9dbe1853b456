use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opne,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
