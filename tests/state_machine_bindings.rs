//! Actions given the values a row's pattern bound, written after the action, instead of the
//! whole event to destructure again: `Idle + Coin { cents } => Paid then credit(cents)`.

use patternkit::StateMachine;

#[derive(Debug)]
enum Ev {
    Coin { cents: u32 },
    Name(String),
    Speed(u32),
    Tick,
    Refund { cents: u32 },
}

#[derive(Default)]
struct Till {
    total: u32,
    log: Vec<String>,
}

fn credit(cents: u32, till: &mut Till) {
    till.total += cents;
}

fn note(line: &str, till: &mut Till) {
    till.log.push(line.to_owned());
}

fn greet(name: &String, till: &mut Till) -> String {
    till.log.push(format!("hello {name}"));
    name.clone()
}

/// The source's data comes first, as for any action of a row leaving a state with data
/// (lent here, with `then &start(..)`).
#[allow(clippy::ptr_arg)] // the action is checked against `fn(&String, ..)`, the data it lends
fn start(name: &String, speed: u32, till: &mut Till) -> u32 {
    till.log.push(format!("{name} starts"));
    speed
}

fn faster(current: u32, by: u32, _: &mut Till) -> u32 {
    current + by
}

fn adjust(current: &mut u32, by: u32, _: &mut Till) {
    *current += by;
}

fn tally(speed: u32, till: &mut Till) {
    till.log.push(format!("stopped at {speed}"));
}

fn refund(cents: u32, till: &mut Till) -> Result<(), String> {
    if cents > till.total {
        return Err(format!("cannot refund {cents} of {}", till.total));
    }
    till.total -= cents;
    Ok(())
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Till, initial = Idle, error = String, transitions = [
    Idle + Coin { cents }        => Paid     then (note("coin"), credit(cents)),
    Paid + Coin { cents }        => _        then credit(cents),
    Paid + Name(ref name)        => Named    then greet(name),
    Named + Speed(speed)         => Moving   then &start(speed),
    Moving + Speed(by)           => Moving   then faster(by),
    Moving + Coin { cents }      => _        then adjust(cents),
    Moving + Tick                => Idle     then tally(),
    Paid + Refund { cents }      => Idle     then refund(cents)?,
])]
enum Vending {
    Idle,
    Paid,
    Named(String),
    Moving(u32),
}

#[test]
fn actions_get_the_values_the_pattern_bound() {
    let mut till = Till::default();
    let mut machine = Vending::initial();
    machine.fire(&Ev::Coin { cents: 50 }, &mut till).unwrap();
    machine.fire(&Ev::Coin { cents: 20 }, &mut till).unwrap();
    assert_eq!((&machine, till.total), (&Vending::Paid, 70));
    machine.fire(&Ev::Name("ada".into()), &mut till).unwrap();
    assert_eq!(machine, Vending::Named("ada".into()));
    machine.fire(&Ev::Speed(3), &mut till).unwrap();
    machine.fire(&Ev::Speed(4), &mut till).unwrap();
    assert_eq!(machine, Vending::Moving(7));
    machine.fire(&Ev::Coin { cents: 5 }, &mut till).unwrap();
    assert_eq!(machine, Vending::Moving(12));
    machine.fire(&Ev::Tick, &mut till).unwrap();
    assert_eq!(machine, Vending::Idle);
    assert_eq!(
        till.log,
        ["coin", "hello ada", "ada starts", "stopped at 12"]
    );
}

#[test]
fn a_fallible_action_gets_its_values_too() {
    let mut till = Till::default();
    let mut machine = Vending::initial();
    machine.fire(&Ev::Coin { cents: 10 }, &mut till).unwrap();
    let error = machine
        .fire(&Ev::Refund { cents: 30 }, &mut till)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Vending: an action failed: cannot refund 30 of 10"
    );
    assert_eq!(machine, Vending::Paid, "nothing changed");
    machine.fire(&Ev::Refund { cents: 10 }, &mut till).unwrap();
    assert_eq!((&machine, till.total), (&Vending::Idle, 0));
}

/// Without a context, an action takes only what it is given.
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, initial = Off, transitions = [
    Off + Speed(speed) => On then double(speed),
    On + Tick          => Off,
])]
enum Fan {
    Off,
    On(u32),
}

fn double(speed: u32) -> u32 {
    speed * 2
}

#[test]
fn without_a_context_the_action_takes_only_its_values() {
    let mut fan = Fan::initial();
    fan.fire(&Ev::Speed(4)).unwrap();
    assert_eq!(fan, Fan::On(8));
}
