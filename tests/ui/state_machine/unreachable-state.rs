use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Opened + Close => Closed,
    Locked + Open  => Opened,
])]
enum Door {
    Opened,
    Closed,
    Locked,
}

fn main() {}
