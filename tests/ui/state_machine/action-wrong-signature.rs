use patternkit::StateMachine;

enum Ev {
    Lock,
    Unlock,
}

// The target carries data, so the action must return it.
fn lock(_: &Ev) {}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Open, transitions = [
    Open   + Lock   => Locked then lock,
    Locked + Unlock => Open,
])]
enum Door {
    Open,
    Locked(u32),
}

fn main() {}
