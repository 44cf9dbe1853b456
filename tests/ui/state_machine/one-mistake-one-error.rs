//! A table with one mistake (no initial state) is one error: the machine's methods still
//! exist, so the code using them adds none.
use patternkit::StateMachine;

enum Event {
    Open,
    Close,
}

#[derive(StateMachine)]
#[state_machine(event = Event, transitions = [Closed + Open => Opened, Opened + Close => Closed])]
enum Door {
    Opened,
    Closed,
}

fn main() {
    let mut door = Door::initial();
    let _ = door.fire(&Event::Open);
    let _ = door.can(&Event::Close);
    let _ = door.next(&Event::Close);
    let _ = door.state_name();
    let _ = (Door::to_mermaid(), Door::to_dot(), Door::STATES, Door::TRANSITIONS);
}
