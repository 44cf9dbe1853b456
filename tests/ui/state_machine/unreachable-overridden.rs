use patternkit::StateMachine;

enum Ev {
    Go,
    Reset,
}

// `Lost` is entered only by `_ + Reset`, and every state that can be reached overrides that
// row with its own `Reset` row: `Lost` is never entered.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Idle, transitions = [
    Idle + Go    => Busy,
    Busy + Go    => Idle,
    Idle + Reset => _,
    Busy + Reset => Idle,
    _    + Reset => Lost,
])]
enum Job {
    Idle,
    Busy,
    #[state(final)]
    Lost,
}

fn main() {}
