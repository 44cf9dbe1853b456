use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Opened + Close => Closed,
])]
enum Door {
    Opened { angle: u8, since: u64 },
    Closed,
}

fn main() {}
