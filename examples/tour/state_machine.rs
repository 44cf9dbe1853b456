//! State machine: a transition table on an enum, checked at compile time, run as a `match`.

use patternkit::prelude::*;
use patternkit::state_machine::{Deferring, History, Outcome};

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

#[derive(Debug)]
enum LinkEvent {
    Connect,
    Connected,
    Send(&'static str),
}

/// Given what the row's pattern bound, not the whole event to take apart again.
fn transmit(text: &'static str, sent: &mut Vec<&'static str>) {
    sent.push(text);
}

// Sending before the link is up is not an error: those states defer it.
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = LinkEvent, context = Vec<&'static str>, initial = Offline, transitions = [
    Offline    + Connect   => Connecting,
    Connecting + Connected => Online,
    Online     + Send(text) => _ then transmit(text),
])]
enum Link {
    #[state(defer = [Send])]
    Offline,
    #[state(defer = [Send])]
    Connecting,
    Online,
}

/// What a circuit breaker tells the code around it, as rust-fsm's outputs do.
#[derive(Debug, PartialEq)]
enum Command {
    StartTimer,
}

#[derive(Debug)]
enum Call {
    Failed,
    TimerElapsed,
    Succeeded,
}

// Each row may give a constant back (`output ..`): a Mealy machine.
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Call, output = Command, initial = Closed, transitions = [
    Closed   + Failed       => Open output StartTimer,
    Open     + TimerElapsed => HalfOpen,
    HalfOpen + Succeeded    => Closed,
    HalfOpen + Failed       => Open output StartTimer,
])]
enum Breaker {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
enum Track {
    Next,
    Pause,
    Resume,
}

// Resuming goes back to the song that was playing: `Playing` keeps a history, in the context.
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Track, context = History<Player>, initial = Song1, transitions = [
    Song1   + Next   => Song2,
    Song2   + Next   => Song3,
    Song3   + Next   => Song1,
    Playing + Pause  => Paused,
    Paused  + Resume => Playing,
], superstate(Playing, states = [Song1, Song2, Song3], history = shallow))]
enum Player {
    Song1,
    Song2,
    Song3,
    Paused,
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
    let mut sent = Vec::new();
    let mut link = Deferring::new(Link::initial());
    for event in [
        LinkEvent::Send("hello"),
        LinkEvent::Connect,
        LinkEvent::Send("world"),
        LinkEvent::Connected,
    ] {
        let shown = format!("{event:?}");
        match link.fire(event, &mut sent) {
            Ok(Outcome::Deferred) => println!("  {shown:<24} deferred in {:?}", link.machine()),
            Ok(Outcome::Fired(fired)) => {
                println!("  {shown:<24} {} -> {}", fired.from(), fired.to());
            }
            Err(error) => println!("  {shown:<24} rejected ({error})"),
        }
    }
    println!("deferred sends replayed once online, in order: {sent:?}");
    println!();
    let mut history = History::new();
    let mut player = Player::initial();
    for track in [Track::Next, Track::Next, Track::Pause, Track::Resume] {
        let shown = format!("{track:?}");
        if let Ok(fired) = player.fire(&track, &mut history) {
            println!("  {shown:<24} {} -> {}", fired.from(), fired.to());
        }
    }
    println!();
    let mut breaker = Breaker::initial();
    for call in [
        Call::Failed,
        Call::TimerElapsed,
        Call::Failed,
        Call::TimerElapsed,
        Call::Succeeded,
    ] {
        let shown = format!("{call:?}");
        if let Ok(fired) = breaker.fire(&call) {
            match fired.output() {
                Some(command) => println!("  {shown:<24} -> {breaker:?}, and says {command:?}"),
                None => println!("  {shown:<24} -> {breaker:?}"),
            }
        }
    }
    println!();
}
