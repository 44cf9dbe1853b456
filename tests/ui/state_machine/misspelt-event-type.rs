//! A misspelt event type is one error, where it is written: the patterns that match its
//! variants name it through the one alias, so they add no second error of another kind.
use patternkit::StateMachine;

enum Event {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Evnet, initial = Closed, transitions = [
    Closed + Open => Opened,
    Opened + Close => Closed,
])]
enum Door {
    Opened,
    Closed,
}

fn main() {
    let mut door = Door::initial();
    let _ = door.fire(&Event::Open);
    let _ = door.state_name();
}
