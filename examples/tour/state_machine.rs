//! State machine: a transition table on an enum, checked at compile time, run as a `match`.

use patternkit::prelude::*;

#[derive(Debug)]
enum Ev {
    Open,
    Close,
    Lock,
    Unlock { code: u32 },
    Kick,
}

#[derive(Default)]
struct Keys {
    code: u32,
}

fn code_ok(_: &Door, event: &Ev, keys: &Keys) -> bool {
    matches!(event, Ev::Unlock { code } if *code == keys.code)
}

fn count_failure(failures: &mut u8, _: &Ev, _: &mut Keys) {
    *failures += 1;
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Keys, initial = Closed, transitions = [
    Closed + Open   => Opened,
    Opened + Close  => Closed,
    Closed + Lock   => Locked,
    Locked + Unlock => Closed if code_ok,
    Locked + Unlock => _ then count_failure,
    _      + Kick   => Broken,
])]
enum Door {
    Opened,
    Closed,
    Locked {
        failures: u8,
    },
    #[state(final)]
    Broken,
}

pub fn run() {
    println!("State machine");
    println!("-------------");
    println!(
        "`#[derive(StateMachine)]` on `enum Door` with a table of {} rows; it draws itself:",
        Door::TRANSITIONS.len()
    );
    println!();
    print!("{}", Door::to_mermaid());
    println!();
    let mut keys = Keys { code: 1234 };
    let mut door = Door::initial();
    println!("the door starts {door:?}");
    for event in [
        Ev::Open,
        Ev::Lock,
        Ev::Close,
        Ev::Lock,
        Ev::Unlock { code: 1 },
        Ev::Unlock { code: 1234 },
        Ev::Kick,
        Ev::Open,
    ] {
        let shown = format!("{event:?}");
        match door.fire(&event, &mut keys) {
            Ok(fired) => println!(
                "  {shown:<24} {} -> {}: now {door:?}",
                fired.from(),
                fired.to()
            ),
            Err(error) => println!("  {shown:<24} rejected ({error}); still {door:?}"),
        }
    }
    println!();
}
