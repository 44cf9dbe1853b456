//! Examples and tests of other state machine libraries, written as patternkit tables: statig's
//! transition-path test and blinky, smlang's guard, action, data and wildcard examples, and
//! Boost.SML's connection. Each asserts what the original asserts.

use patternkit::{Rejection, StateMachine};

// statig `tests/transition_macro.rs`: the exact order of entry and exit hooks across nested
// superstates, starting with the entry of every superstate around the initial state.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Enter(&'static str),
    Exit(&'static str),
}

enum PathEvent {
    A,
    B,
    C,
    D,
}

macro_rules! hooks {
    ($($enter:ident, $exit:ident => $name:literal;)*) => {$(
        fn $enter(path: &mut Vec<Step>) {
            path.push(Step::Enter($name));
        }
        #[allow(dead_code)]
        fn $exit(path: &mut Vec<Step>) {
            path.push(Step::Exit($name));
        }
    )*};
}

hooks! {
    enter_s, exit_s => "s";
    enter_s1, exit_s1 => "s1";
    enter_s11, exit_s11 => "s11";
    enter_s12, exit_s12 => "s12";
    enter_s2, exit_s2 => "s2";
    enter_s21, exit_s21 => "s21";
    enter_s211, exit_s211 => "s211";
}

// `s` surrounds every state, so it is never left: its exit hook could not run and is not
// given (statig's never runs either).
#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = PathEvent, context = Vec<Step>, initial = S11,
    superstate(S, states = [S1, S2], entry = enter_s),
    superstate(S1, states = [S11, S12], entry = enter_s1, exit = exit_s1),
    superstate(S2, states = [S21], entry = enter_s2, exit = exit_s2),
    superstate(S21, states = [S211], entry = enter_s21, exit = exit_s21),
    transitions = [
        S11 + A => S11,
        S11 + B => S12,
        S12 + C => S211,
        S2  + D => S11,
    ])]
enum Nested {
    #[state(entry = enter_s11, exit = exit_s11)]
    S11,
    #[state(entry = enter_s12, exit = exit_s12)]
    S12,
    #[state(entry = enter_s211, exit = exit_s211)]
    S211,
}

#[test]
fn statig_transition_path() {
    use Step::{Enter, Exit};
    let mut path = Vec::new();
    let mut machine = Nested::initial();
    machine.start(&mut path);
    for event in [PathEvent::A, PathEvent::B, PathEvent::C, PathEvent::D] {
        machine.fire(&event, &mut path).unwrap();
    }
    assert_eq!(
        path,
        [
            Enter("s"),
            Enter("s1"),
            Enter("s11"),
            Exit("s11"),
            Enter("s11"),
            Exit("s11"),
            Enter("s12"),
            Exit("s12"),
            Exit("s1"),
            Enter("s2"),
            Enter("s21"),
            Enter("s211"),
            Exit("s211"),
            Exit("s21"),
            Exit("s2"),
            Enter("s1"),
            Enter("s11"),
        ]
    );
    assert_eq!(machine, Nested::S11);
}

// statig `examples/macro/blinky`: a superstate handles the button for both LED states; its
// `on_transition` callback is what `Fired` reports.

#[derive(Debug)]
enum Blink {
    TimerElapsed,
    ButtonPressed,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Blink, initial = LedOn,
    superstate(Blinking, states = [LedOn, LedOff]),
    transitions = [
        LedOn       + TimerElapsed  => LedOff,
        LedOff      + TimerElapsed  => LedOn,
        Blinking    + ButtonPressed => NotBlinking,
        NotBlinking + ButtonPressed => LedOn,
    ])]
enum Blinky {
    LedOn,
    LedOff,
    NotBlinking,
}

#[test]
fn statig_blinky() {
    let mut blinky = Blinky::initial();
    blinky.start();
    let events = [
        Blink::TimerElapsed,
        Blink::ButtonPressed,
        Blink::TimerElapsed,
        Blink::ButtonPressed,
    ];
    let transitions: Vec<_> = events
        .iter()
        .map(|event| match blinky.fire(event) {
            Ok(fired) => format!("{} -> {}", fired.from(), fired.to()),
            Err(refused) => format!("{refused}"),
        })
        .collect();
    assert_eq!(
        transitions,
        [
            "LedOn -> LedOff",
            "LedOff -> NotBlinking",
            "state `NotBlinking` does not accept event `TimerElapsed`",
            "NotBlinking -> LedOn",
        ]
    );
}

// smlang `examples/event_with_data.rs` and `guard_action_syntax.rs`: a guard reads the
// event's data, an action builds the next state's data, a guard reads the state's data and
// an action borrows it (`then &action2`).

#[derive(PartialEq, Debug)]
struct MyEventData(u32);

#[derive(PartialEq, Debug)]
struct MyStateData(u32);

enum Events {
    Event1(MyEventData),
    Event2,
}

#[derive(Default)]
struct Log {
    lines: Vec<String>,
}

fn guard1(_: &Guarded, event: &Events, _: &Log) -> bool {
    matches!(event, Events::Event1(data) if *data == MyEventData(42))
}

fn action1(event: &Events, log: &mut Log) -> MyStateData {
    let Events::Event1(MyEventData(value)) = event else {
        unreachable!("the row matches only Event1")
    };
    log.lines.push(format!("Got valid Event Data = {value}"));
    MyStateData(*value)
}

fn guard2(state: &Guarded, _: &Events, _: &Log) -> bool {
    matches!(state, Guarded::State2(MyStateData(n)) if *n > 0)
}

fn action2(data: &MyStateData, _: &Events, log: &mut Log) {
    log.lines.push(format!("leaving State2 with {}", data.0));
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Events, context = Log, initial = State1, transitions = [
    State1 + Event1 => State2 if guard1 then action1,
    State2 + Event2 => State3 if guard2 then &action2,
])]
enum Guarded {
    State1,
    State2(MyStateData),
    #[state(final)]
    State3,
}

#[test]
fn smlang_event_with_data_and_guard_action_syntax() {
    let mut log = Log::default();
    let mut machine = Guarded::initial();
    let refused = machine
        .fire(&Events::Event1(MyEventData(1)), &mut log)
        .unwrap_err();
    assert_eq!(refused.rejection(), Rejection::GuardsRejected);
    assert_eq!(machine, Guarded::State1);
    machine
        .fire(&Events::Event1(MyEventData(42)), &mut log)
        .unwrap();
    assert_eq!(machine, Guarded::State2(MyStateData(42)));
    machine.fire(&Events::Event2, &mut log).unwrap();
    assert_eq!(machine, Guarded::State3);
    assert_eq!(
        log.lines,
        ["Got valid Event Data = 42", "leaving State2 with 42"]
    );
}

// smlang `examples/starting_state_with_data.rs`: the initial state's data is given, not
// taken from `Default` (`NoDefault` has none).

#[derive(PartialEq, Debug)]
struct NoDefault(u32);

enum Steps {
    Event1,
    Event2,
}

fn action(_: &Steps) -> NoDefault {
    NoDefault(42)
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Steps, initial = State1(NoDefault(42)), transitions = [
    State2 + Event2 => State1 then action,
    State1 + Event1 => State2,
])]
enum Started {
    State2,
    State1(NoDefault),
}

#[test]
fn smlang_starting_state_with_data() {
    let mut machine = Started::initial();
    machine.fire(&Steps::Event1).unwrap();
    machine.fire(&Steps::Event2).unwrap();
    assert_eq!(machine, Started::State1(NoDefault(42)));
}

// smlang `examples/wildcard_states_and_internal_transitions.rs`: `_` rows, internal
// transitions, and a row naming the state winning over a `_` row. `State3` reacts only with
// internal rows, and need not be marked final.

enum Counted {
    Event1,
    Event2,
    Event3,
}

fn increment_count(_: &Counted, count: &mut u32) {
    *count += 1;
}

#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = Counted, context = u32, initial = State1, transitions = [
    State1 + Event2 => State2,
    State2 + Event3 => State3,
    _      + Event1 => _ then increment_count,
    _      + Event3 => _ then increment_count,
])]
enum Wild {
    State1,
    State2,
    State3,
}

#[test]
fn smlang_wildcard_states_and_internal_transitions() {
    let mut count = 0;
    let mut machine = Wild::initial();
    for (event, state, expected) in [
        (Counted::Event1, Wild::State1, 1),
        (Counted::Event2, Wild::State2, 1),
        (Counted::Event3, Wild::State3, 1),
        (Counted::Event1, Wild::State3, 2),
        (Counted::Event3, Wild::State3, 3),
    ] {
        machine.fire(&event, &mut count).unwrap();
        assert_eq!((machine, count), (state, expected));
    }
    assert!(machine.fire(&Counted::Event2, &mut count).is_err());
    assert_eq!(machine, Wild::State3);
}

// Boost.SML's connection example: an internal transition with a guard and an action, and
// actions on transitions out of and back into `Disconnected`.

enum Conn {
    Connect,
    Established,
    Ping { valid: bool },
    Timeout,
    Disconnect,
}

fn establish(_: &Conn, log: &mut Vec<&'static str>) {
    log.push("establish");
}

fn close(_: &Conn, log: &mut Vec<&'static str>) {
    log.push("close");
}

fn is_valid(_: &Connection, event: &Conn, _: &Vec<&'static str>) -> bool {
    matches!(event, Conn::Ping { valid: true })
}

fn reset_timeout(_: &Conn, log: &mut Vec<&'static str>) {
    log.push("reset timeout");
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Conn, context = Vec<&'static str>, initial = Disconnected, transitions = [
    Disconnected + Connect     => Connecting then establish,
    Connecting   + Established => Connected,
    Connected    + Ping        => _ if is_valid then reset_timeout,
    Connected    + Timeout     => Connecting then establish,
    Connected    + Disconnect  => Disconnected then close,
])]
enum Connection {
    Disconnected,
    Connecting,
    Connected,
}

#[test]
fn boost_sml_connection() {
    let mut log = Vec::new();
    let mut connection = Connection::initial();
    connection.fire(&Conn::Connect, &mut log).unwrap();
    connection.fire(&Conn::Established, &mut log).unwrap();
    connection
        .fire(&Conn::Ping { valid: true }, &mut log)
        .unwrap();
    assert!(
        connection
            .fire(&Conn::Ping { valid: false }, &mut log)
            .is_err()
    );
    connection.fire(&Conn::Timeout, &mut log).unwrap();
    connection.fire(&Conn::Established, &mut log).unwrap();
    connection.fire(&Conn::Disconnect, &mut log).unwrap();
    assert_eq!(connection, Connection::Disconnected);
    assert_eq!(log, ["establish", "reset timeout", "establish", "close"]);
}
