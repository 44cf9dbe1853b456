//! Outputs (a Mealy machine): rows that give a value back when they fire, as rust-fsm's
//! `[Output]` does — its circuit breaker example, rewritten.

use patternkit::StateMachine;

#[derive(Debug, PartialEq)]
enum Input {
    Successful,
    Unsuccessful,
    TimerTriggered,
}

#[derive(Debug, PartialEq)]
enum Output {
    SetupTimer,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Input, output = Output, initial = Closed, transitions = [
    Closed   + Unsuccessful   => Open output SetupTimer,
    Open     + TimerTriggered => HalfOpen,
    HalfOpen + Successful     => Closed,
    HalfOpen + Unsuccessful   => Open output SetupTimer,
])]
enum CircuitBreaker {
    Closed,
    Open,
    HalfOpen,
}

#[test]
fn rust_fsm_circuit_breaker() {
    let mut machine = CircuitBreaker::initial();
    // Nothing leaves `Closed` on success: rejected, no output, state unchanged.
    assert!(machine.fire(&Input::Successful).is_err());
    assert_eq!(machine, CircuitBreaker::Closed);

    let fired = machine.fire(&Input::Unsuccessful).unwrap();
    assert_eq!(fired.output(), Some(&Output::SetupTimer));
    assert_eq!(machine, CircuitBreaker::Open);

    assert_eq!(machine.fire(&Input::TimerTriggered).unwrap().output(), None);
    assert_eq!(machine, CircuitBreaker::HalfOpen);

    assert_eq!(
        machine.fire(&Input::Unsuccessful).unwrap().output(),
        Some(&Output::SetupTimer)
    );
    machine.fire(&Input::TimerTriggered).unwrap();
    assert_eq!(machine.fire(&Input::Successful).unwrap().output(), None);
    assert_eq!(machine, CircuitBreaker::Closed);
}

#[test]
fn outputs_are_a_table_beside_the_rows() {
    assert_eq!(
        CircuitBreaker::OUTPUTS,
        &[
            Some(Output::SetupTimer),
            None,
            None,
            Some(Output::SetupTimer)
        ]
    );
    assert_eq!(
        CircuitBreaker::OUTPUTS.len(),
        CircuitBreaker::TRANSITIONS.len()
    );
    // The output travels in no result: `Fired` stays one word.
    assert_eq!(
        std::mem::size_of::<patternkit::Fired<CircuitBreaker>>(),
        std::mem::size_of::<u32>()
    );
}

#[test]
fn diagrams_label_each_edge_with_its_output() {
    let mermaid = CircuitBreaker::to_mermaid();
    assert!(
        mermaid.contains("Closed --> Open : Unsuccessful ⇒ SetupTimer"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("Open --> HalfOpen : TimerTriggered\n"),
        "{mermaid}"
    );
    assert!(CircuitBreaker::to_dot().contains("label=\"Unsuccessful ⇒ SetupTimer\""));
}

/// Outputs with data, and outputs that are constants of a plain type.
#[derive(Debug, PartialEq)]
enum Reply {
    Code(u16),
    Text { body: &'static str },
}

enum Request {
    Get,
    Post,
    Reset,
}

fn allowed(_: &Server, _: &Request) -> bool {
    true
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Request, output = Reply, initial = Ready, transitions = [
    Ready + Get   => _     if allowed output Code(200),
    Ready + Post  => Busy  output Reply::Text { body: "accepted" },
    _     + Reset => Ready,
    Busy  + Get   => _     output Code(503),
])]
enum Server {
    Ready,
    Busy,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Request, output = u8, initial = Idle, transitions = [
    Idle + Get  => Idle output 1,
    Idle + Post => Idle output 2 + 3,
])]
enum Counter {
    Idle,
}

#[test]
fn outputs_carry_data_or_are_plain_constants() {
    let mut server = Server::initial();
    assert_eq!(
        server.fire(&Request::Get).unwrap().output(),
        Some(&Reply::Code(200))
    );
    assert_eq!(
        server.fire(&Request::Post).unwrap().output(),
        Some(&Reply::Text { body: "accepted" })
    );
    assert_eq!(
        server.fire(&Request::Get).unwrap().output(),
        Some(&Reply::Code(503))
    );
    assert_eq!(server.fire(&Request::Reset).unwrap().output(), None);

    let mut counter = Counter::initial();
    assert_eq!(counter.fire(&Request::Post).unwrap().output(), Some(&5));
    assert_eq!(counter.fire(&Request::Get).unwrap().output(), Some(&1));
}

/// Through the traits, for code generic over machines.
fn outputs_of<M>(machine: &mut M, events: &[M::Event]) -> Vec<Option<&'static M::Output>>
where
    M: patternkit::StateMachine<Context = ()> + patternkit::state_machine::MachineOutput,
{
    events
        .iter()
        .map(|event| machine.fire(event, &mut ()).ok().and_then(|f| f.output()))
        .collect()
}

#[test]
fn outputs_through_the_traits() {
    let mut machine = CircuitBreaker::initial();
    assert_eq!(
        outputs_of(
            &mut machine,
            &[
                Input::Unsuccessful,
                Input::TimerTriggered,
                Input::Successful
            ]
        ),
        [Some(&Output::SetupTimer), None, None]
    );
}
