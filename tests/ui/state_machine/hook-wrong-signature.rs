use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
}

fn entered(name: &str) {
    let _ = name;
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open  => Opened,
    Opened + Close => Closed,
])]
enum Door {
    #[state(entry = entered)]
    Opened,
    Closed,
}

fn main() {}
