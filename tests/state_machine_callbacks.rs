//! Machine-level callbacks: before each event, after each transition, after each rejection,
//! and the same through the `log` facade.

use std::sync::Mutex;

use patternkit::{Fired, InvalidTransition, StateMachine};

#[derive(Debug)]
enum Signal {
    Go,
    Stop,
    Honk,
}

#[derive(Default)]
struct Trace {
    lines: Vec<String>,
}

fn before(light: &Light, event: &Signal, trace: &mut Trace) {
    trace
        .lines
        .push(format!("{event:?} in {}", light.state_name()));
}

fn moved(fired: Fired<Light>, _: &Signal, trace: &mut Trace) {
    trace
        .lines
        .push(format!("{} -> {}", fired.from(), fired.to()));
}

fn ignored(refused: InvalidTransition<Light>, _: &Signal, trace: &mut Trace) {
    trace.lines.push(refused.to_string());
}

fn entered_green(trace: &mut Trace) {
    trace.lines.push("entry hook of Green".into());
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Signal, context = Trace, initial = Red,
    before_event = before, on_transition = moved, on_unhandled = ignored,
    transitions = [
        Red + Go => Green,
        Green + Stop => Red,
    ])]
enum Light {
    Red,
    #[state(entry = entered_green)]
    Green,
}

#[test]
fn callbacks_run_around_every_event() {
    let mut trace = Trace::default();
    let mut light = Light::initial();
    light.fire(&Signal::Go, &mut trace).unwrap();
    light.fire(&Signal::Honk, &mut trace).unwrap_err();
    light.fire(&Signal::Stop, &mut trace).unwrap();
    assert_eq!(
        trace.lines,
        [
            "Go in Red",
            "entry hook of Green",
            "Red -> Green",
            "Honk in Green",
            "state `Green` does not accept event `?`",
            "Stop in Green",
            "Green -> Red",
        ]
    );
}

// The `log` facade: one logger for the whole test binary.

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Recorder;

impl log::Log for Recorder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == "patternkit::state_machine"
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {}", record.level(), record.args());
            RECORDS.lock().unwrap().push(line);
        }
    }

    fn flush(&self) {}
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Signal, initial = Idle, log, transitions = [Idle + Go => Busy, Busy + Stop => Idle])]
enum Logged {
    Idle,
    Busy,
}

#[test]
fn log_writes_events_transitions_and_rejections() {
    log::set_logger(&Recorder).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let mut machine = Logged::initial();
    machine.fire(&Signal::Go).unwrap();
    machine.fire(&Signal::Go).unwrap_err();
    assert_eq!(
        *RECORDS.lock().unwrap(),
        [
            "TRACE Logged: event in state `Idle`",
            "DEBUG Logged: `Idle` --Go--> `Busy`",
            "TRACE Logged: event in state `Busy`",
            "DEBUG Logged: state `Busy` does not accept event `Go`",
        ]
    );
}
