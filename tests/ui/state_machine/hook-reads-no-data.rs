use patternkit::StateMachine;

enum Ev {
    Go,
}

fn entered(_: &u32) {}

// `&entered` reads the state's data, but `B` holds none.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [A + Go => B, B + Go => A])]
enum Machine {
    A(u32),
    #[state(entry = &entered)]
    B,
}

fn main() {}
