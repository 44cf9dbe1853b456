//! The same three mistakes as in every macro's `option-mistakes` case.
use patternkit::StateMachine;

#[derive(Clone, Copy)]
enum Event {
    Go,
}

#[derive(StateMachine)]
#[state_machine(evnt = Event, crate = ::patternkit, crate = ::patternkit)]
#[state_machine(event = Event, initial = Idle, transitions = [Idle + Go => Done])]
enum Task {
    Idle,
    #[state(final = true)]
    Done,
}

fn main() {}
