//! Event types of every shape: generic, borrowing, a struct instead of an enum, and `_` rows
//! that take any event, including variants the table never names.

use patternkit::StateMachine;

enum Generic<T> {
    Load(T),
    Clear,
}

fn loaded(event: &Generic<u8>) -> u8 {
    match event {
        Generic::Load(value) => *value,
        Generic::Clear => 0,
    }
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Generic<u8>, initial = Empty, transitions = [
    Empty + Load => Full then loaded,
    Full + Clear => Empty,
])]
enum Slot {
    Empty,
    Full(u8),
}

#[test]
fn an_event_type_with_generic_arguments() {
    let mut slot = Slot::initial();
    slot.fire(&Generic::Load(7)).unwrap();
    assert_eq!(slot, Slot::Full(7));
    slot.fire(&Generic::Clear).unwrap();
    assert_eq!(slot, Slot::Empty);
}

enum Borrowed<'a> {
    Line(&'a str),
    End,
}

fn is_blank(_: &Reader, event: &Borrowed<'_>, _: &Vec<String>) -> bool {
    matches!(event, Borrowed::Line(line) if line.trim().is_empty())
}

fn keep(event: &Borrowed<'_>, lines: &mut Vec<String>) {
    if let Borrowed::Line(line) = event {
        lines.push((*line).to_owned());
    }
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Borrowed<'static>, context = Vec<String>, initial = Reading, transitions = [
    Reading + Line => _ if is_blank,
    Reading + Line => _ then keep,
    Reading + End  => Done,
])]
enum Reader {
    Reading,
    #[state(final)]
    Done,
}

#[test]
fn an_event_type_with_a_lifetime() {
    let mut lines = Vec::new();
    let mut reader = Reader::initial();
    for line in ["one", " ", "two"] {
        reader.fire(&Borrowed::Line(line), &mut lines).unwrap();
    }
    reader.fire(&Borrowed::End, &mut lines).unwrap();
    assert_eq!(lines, ["one", "two"]);
    assert_eq!(reader, Reader::Done);
}

struct Tick {
    late: bool,
}

fn on_time(_: &Metronome, tick: &Tick) -> bool {
    !tick.late
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Tick, initial = Up, transitions = [
    Up   + Tick { late: true } => Lost,
    Up   + Tick => Down if on_time,
    Down + Tick => Up,
    Lost + Tick => _,
])]
enum Metronome {
    Up,
    Down,
    Lost,
}

#[test]
fn a_struct_event_is_named_by_its_type() {
    let mut metronome = Metronome::initial();
    metronome.fire(&Tick { late: false }).unwrap();
    assert_eq!(metronome, Metronome::Down);
    metronome.fire(&Tick { late: true }).unwrap();
    assert_eq!(metronome, Metronome::Up);
    metronome.fire(&Tick { late: true }).unwrap();
    assert_eq!(metronome, Metronome::Lost);
    assert_eq!(Metronome::EVENTS, ["Tick"]);
}

#[allow(dead_code)]
enum Input {
    Start,
    Stop,
    Noise(u8),
    Unnamed,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Input, initial = Idle, transitions = [
    Idle + Start => Busy,
    Busy + Stop  => Idle,
    Busy + _     => Failed,
    _    + _     => _,
])]
enum Worker {
    Idle,
    Busy,
    #[state(final)]
    Failed,
}

#[test]
fn a_wildcard_event_takes_every_event_after_the_rows_naming_one() {
    let mut worker = Worker::initial();
    // `_ + _ => _` keeps an idle worker idle on anything but `Start`.
    let fired = worker.fire(&Input::Noise(3)).unwrap();
    assert!(fired.is_internal());
    assert_eq!(fired.transition().event, "_");
    worker.fire(&Input::Start).unwrap();
    // In `Busy`, `Stop` has its own row; any other event, named or not, fails the worker.
    worker.fire(&Input::Stop).unwrap();
    worker.fire(&Input::Start).unwrap();
    worker.fire(&Input::Unnamed).unwrap();
    assert_eq!(worker, Worker::Failed);
    assert_eq!(Worker::EVENTS, ["Start", "Stop"]);
    assert!(Worker::to_mermaid().contains("Busy --> Failed : _"));
}

#[test]
fn fired_and_rejected_are_small() {
    type Outcome = Result<patternkit::Fired<Worker>, patternkit::InvalidTransition<Worker>>;
    assert!(core::mem::size_of::<Outcome>() <= 8);
}

fn never(_: &Gate, _: &Input) -> bool {
    false
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Input, initial = Shut, transitions = [
    Shut + Start => Open if never,
    Open + Stop  => Shut,
])]
enum Gate {
    Shut,
    Open,
}

#[test]
fn a_rejection_names_the_state_the_event_and_why() {
    use patternkit::Rejection;
    let mut gate = Gate::initial();
    let refused = gate.fire(&Input::Start).unwrap_err();
    assert_eq!(
        (refused.state(), refused.event(), refused.rejection()),
        ("Shut", "Start", Rejection::GuardsRejected)
    );
    let refused = gate.fire(&Input::Unnamed).unwrap_err();
    assert_eq!(refused.event_index(), None);
    assert_eq!(
        (refused.state(), refused.event(), refused.rejection()),
        ("Shut", "?", Rejection::NoTransition)
    );
    assert_eq!(
        refused.to_string(),
        "state `Shut` does not accept event `?`"
    );
    let mut open = Gate::Open;
    let refused = open.fire(&Input::Start).unwrap_err();
    assert_eq!((refused.state_index(), refused.event_index()), (1, Some(0)));
}
