use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

fn is_day(_: &Door, _: &Ev) -> bool {
    true
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Closed + Open  => Closed if is_day,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {}
