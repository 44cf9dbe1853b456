use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
    Kick,
}

#[derive(StateMachine)]
#[state_machine(exhaustive, event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Opened + Close => Closed,
    Opened + Kick  => Opened,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
