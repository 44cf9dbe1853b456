use patternkit::StateMachine;

#[derive(StateMachine)]
struct Door {
    open: bool,
}

fn main() {}
