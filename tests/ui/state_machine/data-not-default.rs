use patternkit::StateMachine;

enum Ev {
    Lock,
    Unlock,
}

struct Key {
    id: u64,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Open, transitions = [
    Open   + Lock   => Locked,
    Locked + Unlock => Open,
])]
enum Door {
    Open,
    Locked(Key),
}

fn main() {}
