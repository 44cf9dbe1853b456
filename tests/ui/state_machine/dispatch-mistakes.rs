use patternkit::StateMachine;

enum Ev {
    Go,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, dispatch = jump, transitions = [A + Go => B, B + Go => A])]
enum Unknown {
    A,
    B,
}

fn count(_: &Ev) {}

#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, dispatch = table, transitions = [
    A + Go => B then count,
    B + Go => A then count,
])]
enum NothingToLookUp {
    A,
    B,
}

fn main() {
    let _ = Unknown::initial().fire(&Ev::Go);
    let _ = NothingToLookUp::initial().fire(&Ev::Go);
}
