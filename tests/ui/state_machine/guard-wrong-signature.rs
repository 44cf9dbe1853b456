use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

fn allowed(event: &Ev) -> bool {
    matches!(event, Ev::Open)
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened if allowed,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
