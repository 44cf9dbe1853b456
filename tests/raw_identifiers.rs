//! Raw identifiers (`r#Loop`) name what they would without their prefix, as they do to Rust:
//! in the names, tables and diagrams the macros generate, in the names a saga logs, and when a
//! macro matches what the user wrote in two places (`r#Loop` in the enum, `Loop` in the table).

// Saga steps are `async` by contract, whether or not they await.
#![allow(clippy::unused_async)]

use patternkit::cqrs::Message;
use patternkit::prelude::*;
use patternkit::saga::{Saga, StepContext, saga};

#[derive(Debug)]
enum Flow {
    r#Break,
    Resume,
}

#[derive(Debug, PartialEq, Eq, StateMachine)]
#[state_machine(event = Flow, initial = Loop, transitions = [
    Loop + r#Break => r#Halted,
    Halted + Resume => r#Loop,
    r#Halted + Break => Halted,
])]
enum Control {
    r#Loop,
    Halted,
}

#[test]
fn a_machine_names_its_states_and_events_without_the_prefix() {
    assert_eq!(Control::STATES, ["Loop", "Halted"]);
    assert_eq!(Control::EVENTS, ["Break", "Resume"]);
    assert_eq!(Control::TRANSITIONS[0].source, "Loop");
    assert_eq!(Control::TRANSITIONS[0].target, Some("Halted"));
    assert!(!Control::to_mermaid().contains("r#"));
    assert!(!Control::to_dot().contains("r#"));

    let mut machine = Control::initial();
    assert_eq!(machine.state_name(), "Loop");
    assert!(machine.is_in("Loop"));
    machine.fire(&Flow::Break).unwrap();
    assert_eq!(machine, Control::Halted);
    // `Break` and `r#Break` are one event: the third row is the one for it in `Halted`.
    assert_eq!(
        machine.next(&Flow::Break).map(|row| row.source),
        Some("Halted")
    );
    machine.fire(&Flow::Resume).unwrap();
    assert_eq!(machine, Control::r#Loop);
}

#[derive(Debug, Command)]
#[command(output = ())]
struct r#Move;

#[test]
fn a_message_is_named_without_the_prefix() {
    assert_eq!(<r#Move as Message>::NAME, "Move");
}

struct Steps;

#[saga(input = ())]
impl Steps {
    #[step(compensate = r#undo)]
    async fn r#try(&self, _cx: &StepContext, input: &()) -> Result<u32, String> {
        let () = *input;
        Ok(1)
    }

    async fn undo(&self, _cx: &StepContext, r#try: u32) -> Result<(), String> {
        let _ = r#try;
        Ok(())
    }
}

#[test]
fn a_saga_logs_its_steps_without_the_prefix() {
    assert_eq!(Steps::STEPS[0].name, "try");
    assert_eq!(Steps::STEPS[0].compensation, Some("undo"));
}

#[derive(Debug, PartialEq, Eq, Factory)]
enum r#Shape {
    r#Circle,
}

#[test]
fn a_factory_names_itself_and_its_variants_without_the_prefix() {
    assert_eq!(Shape::from_name("circle").unwrap(), Shape::Circle);
    let error = ShapeKind::from_name("square").unwrap_err().to_string();
    assert!(!error.contains("r#"), "{error}");
}
