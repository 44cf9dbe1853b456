use patternkit::StateMachine;

enum Ev {
    Open,
    Kick,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Closed, transitions = [
    Closed + Open => Opened,
    Opened + Kick => Broken,
    Closed + Kick => Broken,
])]
enum Door {
    Opened,
    Closed,
    Broken,
}

fn main() {}
