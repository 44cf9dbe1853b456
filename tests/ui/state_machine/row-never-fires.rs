use patternkit::StateMachine;

enum Ev {
    Go,
    Stop,
}

// Both states of `Active` handle `Go` with an unguarded row of their own, which is tried
// before the superstate's: its row can never fire.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = Idle,
    superstate(Active, states = [Busy, Paused]),
    transitions = [
        Idle   + Go   => Busy,
        Busy   + Go   => Paused,
        Paused + Go   => Busy,
        Active + Go   => Idle,
        Active + Stop => Idle,
    ])]
enum Job {
    Idle,
    Busy,
    Paused,
}

fn main() {}
