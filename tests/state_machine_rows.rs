//! What a row can say beyond one guard and one action: guard expressions, several actions,
//! and asking whether the machine is inside a superstate.

use patternkit::StateMachine;

enum Ev {
    Open,
    Close,
    Lock,
}

#[derive(Default)]
struct House {
    has_key: bool,
    night: bool,
    alarm: bool,
    log: Vec<&'static str>,
}

fn has_key(_: &Door, _: &Ev, house: &House) -> bool {
    house.has_key
}

fn is_night(_: &Door, _: &Ev, house: &House) -> bool {
    house.night
}

fn alarm_on(_: &Door, _: &Ev, house: &House) -> bool {
    house.alarm
}

fn light(_: &Ev, house: &mut House) {
    house.log.push("light");
}

fn creak(_: &Ev, house: &mut House) {
    house.log.push("creak");
}

fn count(_: &Ev, house: &mut House) -> u32 {
    house.log.push("count");
    1
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = House, initial = Closed,
    superstate(Shut, states = [Closed, Locked]),
    transitions = [
        Closed + Open  => Opened if has_key && !(is_night || alarm_on) then (light, creak),
        Opened + Close => Closed,
        Closed + Lock  => Locked if has_key then (light, count),
        Locked + Open  => Closed if has_key,
    ])]
enum Door {
    Opened,
    Closed,
    Locked(u32),
}

#[test]
fn a_guard_expression_combines_guards() {
    let mut house = House::default();
    let mut door = Door::initial();
    assert!(door.fire(&Ev::Open, &mut house).is_err());
    house.has_key = true;
    house.night = true;
    assert!(door.fire(&Ev::Open, &mut house).is_err());
    house.night = false;
    house.alarm = true;
    assert!(door.fire(&Ev::Open, &mut house).is_err());
    house.alarm = false;
    door.fire(&Ev::Open, &mut house).unwrap();
    assert_eq!(door, Door::Opened);
    assert_eq!(
        Door::TRANSITIONS[0].guard,
        Some("has_key && !(is_night || alarm_on)")
    );
    assert!(Door::to_mermaid().contains(
        "Closed --> Opened : Open [has_key && !(is_night || alarm_on)] / (light, creak)"
    ));
}

#[test]
fn several_actions_run_in_order_and_the_last_builds_the_data() {
    let mut house = House {
        has_key: true,
        ..House::default()
    };
    let mut door = Door::initial();
    door.fire(&Ev::Open, &mut house).unwrap();
    door.fire(&Ev::Close, &mut house).unwrap();
    door.fire(&Ev::Lock, &mut house).unwrap();
    assert_eq!(door, Door::Locked(1));
    assert_eq!(house.log, ["light", "creak", "light", "count"]);
    assert_eq!(Door::TRANSITIONS[2].action, Some("(light, count)"));
}

#[test]
fn is_in_names_a_state_or_a_superstate_around_it() {
    let door = Door::Locked(0);
    assert!(door.is_in("Locked"));
    assert!(door.is_in("Shut"));
    assert!(!door.is_in("Opened"));
    assert!(!Door::Opened.is_in("Shut"));
    assert_eq!(Door::SUPERSTATES, ["Shut"]);
}

// Hooks that read the state's data: `&hook` is given `&Data` (and the context).

enum Step {
    Next,
    Back,
}

#[derive(Debug, PartialEq, Default)]
struct Page {
    number: u32,
}

fn entered(page: &Page, log: &mut Vec<String>) {
    log.push(format!("enter page {}", page.number));
}

fn left(page: &Page, log: &mut Vec<String>) {
    log.push(format!("leave page {}", page.number));
}

fn turn(mut page: Page, _: &Step, _: &mut Vec<String>) -> Page {
    page.number += 1;
    page
}

fn done(page: &Page, _: &Step, log: &mut Vec<String>) {
    log.push(format!("done at page {}", page.number));
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Step, context = Vec<String>, initial = Reading(Page { number: 1 }), transitions = [
    Reading + Next => Reading then turn,
    Reading + Back => Finished then &done,
    Finished + Back => Reading,
])]
enum Book {
    #[state(entry = &entered, exit = &left)]
    Reading(Page),
    Finished,
}

#[test]
fn hooks_with_a_borrow_read_the_state_data() {
    let mut log = Vec::new();
    let mut book = Book::initial();
    book.start(&mut log);
    // The exit hook reads the data the action is about to receive; the entry hook, the
    // data it built.
    book.fire(&Step::Next, &mut log).unwrap();
    book.fire(&Step::Back, &mut log).unwrap();
    book.fire(&Step::Back, &mut log).unwrap();
    assert_eq!(
        log,
        [
            "enter page 1",
            "leave page 1",
            "enter page 2",
            "leave page 2",
            "done at page 2",
            "enter page 0",
        ]
    );
}
