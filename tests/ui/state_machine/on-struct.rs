//! A machine that is not an enum is one error: its functions still exist, so the code using
//! it adds none.
use patternkit::StateMachine;

enum Event {
    Open,
}

#[derive(StateMachine)]
#[state_machine(event = Event, initial = Closed, transitions = [Closed + Open => Opened])]
struct Door {
    open: bool,
}

fn main() {
    let mut door = Door::initial();
    let _ = door.fire(&Event::Open);
    let _ = (door.can(&Event::Open), door.state_name(), Door::STATES, Door::to_mermaid());
    let _ = door.open;
}
