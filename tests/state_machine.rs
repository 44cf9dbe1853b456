//! `#[derive(StateMachine)]` at run time: guards in order, actions and data, wildcard and
//! multi-source rows, internal transitions, hooks, superstates, rejection, the table as data
//! and the diagrams.

use patternkit::{Fired, Rejection, StateMachine};

#[derive(Default, Debug)]
struct DoorContext {
    has_key: bool,
    code: u32,
    log: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum DoorEvent {
    Open,
    Close,
    Lock,
    Unlock { code: u32 },
    Kick,
    Knock,
}

fn has_key(_: &Door, _: &DoorEvent, ctx: &DoorContext) -> bool {
    ctx.has_key
}

fn code_ok(_: &Door, event: &DoorEvent, ctx: &DoorContext) -> bool {
    matches!(event, DoorEvent::Unlock { code } if *code == ctx.code)
}

fn lock(_: &DoorEvent, ctx: &mut DoorContext) -> u8 {
    ctx.log.push("locking".into());
    0
}

fn failed_attempt(attempts: &mut u8, _: &DoorEvent, ctx: &mut DoorContext) {
    *attempts += 1;
    ctx.log.push(format!("wrong code, attempt {attempts}"));
}

fn unlock(attempts: u8, _: &DoorEvent, ctx: &mut DoorContext) {
    ctx.log
        .push(format!("unlocked after {attempts} failed attempts"));
}

fn answer(_: &DoorEvent, ctx: &mut DoorContext) {
    ctx.log.push("who's there?".into());
}

fn enter_opened(ctx: &mut DoorContext) {
    ctx.log.push("enter Opened".into());
}

fn exit_opened(ctx: &mut DoorContext) {
    ctx.log.push("exit Opened".into());
}

fn enter_closed(ctx: &mut DoorContext) {
    ctx.log.push("enter Closed".into());
}

fn exit_closed(ctx: &mut DoorContext) {
    ctx.log.push("exit Closed".into());
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = DoorEvent, context = DoorContext, initial = Closed, transitions = [
    Closed + Open              => Opened,
    Opened + Close             => Closed,
    Closed + Lock              => Locked   if has_key then lock,
    Locked + Unlock            => Closed   if code_ok then unlock,
    Locked + Unlock            => _        then failed_attempt,
    Opened | Closed + Knock    => _        then answer,
    _      + Kick              => Broken,
])]
enum Door {
    #[state(entry = enter_opened, exit = exit_opened)]
    Opened,
    #[state(entry = enter_closed, exit = exit_closed)]
    Closed,
    Locked {
        attempts: u8,
    },
    #[state(final)]
    Broken,
}

#[test]
fn fires_the_table() {
    let mut ctx = DoorContext::default();
    let mut door = Door::initial();
    assert_eq!(door, Door::Closed);
    let fired = door.fire(&DoorEvent::Open, &mut ctx).unwrap();
    assert_eq!((fired.from(), fired.to()), ("Closed", "Opened"));
    assert_eq!(door, Door::Opened);
    // Order: exit of old, action, entry of new.
    assert_eq!(ctx.log, ["exit Closed", "enter Opened"]);
}

#[test]
fn rejected_event_leaves_the_state_unchanged() {
    let mut ctx = DoorContext::default();
    let mut door = Door::Opened;
    let error = door.fire(&DoorEvent::Lock, &mut ctx).unwrap_err();
    assert_eq!(door, Door::Opened);
    assert_eq!(error.state(), "Opened");
    assert_eq!(error.event(), "Lock");
    assert_eq!(error.rejection(), Rejection::NoTransition);
    assert_eq!(
        error.to_string(),
        "state `Opened` does not accept event `Lock`"
    );
    assert!(ctx.log.is_empty());

    // A guard that says no is a rejection too, and nothing but the guard ran.
    let mut door = Door::Closed;
    let error = door.fire(&DoorEvent::Lock, &mut ctx).unwrap_err();
    assert_eq!(error.rejection(), Rejection::GuardsRejected);
    assert_eq!(door, Door::Closed);
    assert!(ctx.log.is_empty());
}

#[test]
fn guards_are_tried_in_order_and_data_moves_by_value() {
    let mut ctx = DoorContext {
        has_key: true,
        code: 42,
        ..DoorContext::default()
    };
    let mut door = Door::Closed;
    door.fire(&DoorEvent::Lock, &mut ctx).unwrap();
    assert_eq!(door, Door::Locked { attempts: 0 });
    // The guarded row fails, the unguarded internal row after it fires.
    let fired = door.fire(&DoorEvent::Unlock { code: 7 }, &mut ctx).unwrap();
    assert_eq!(fired.from(), fired.to());
    assert_eq!(fired.transition().target, None);
    door.fire(&DoorEvent::Unlock { code: 8 }, &mut ctx).unwrap();
    assert_eq!(door, Door::Locked { attempts: 2 });
    // The guarded row fires; the attempts move into the action.
    door.fire(&DoorEvent::Unlock { code: 42 }, &mut ctx)
        .unwrap();
    assert_eq!(door, Door::Closed);
    assert_eq!(
        ctx.log,
        [
            "exit Closed",
            "locking",
            "wrong code, attempt 1",
            "wrong code, attempt 2",
            "unlocked after 2 failed attempts",
            "enter Closed",
        ]
    );
}

#[test]
fn wildcard_and_internal_rows() {
    let mut ctx = DoorContext::default();
    for mut door in [Door::Opened, Door::Closed, Door::Locked { attempts: 3 }] {
        door.fire(&DoorEvent::Kick, &mut ctx).unwrap();
        assert_eq!(door, Door::Broken);
    }
    let mut ctx = DoorContext::default();
    let mut door = Door::Opened;
    door.fire(&DoorEvent::Knock, &mut ctx).unwrap();
    // Internal: no exit or entry hooks.
    assert_eq!(ctx.log, ["who's there?"]);
    assert_eq!(door, Door::Opened);
}

#[test]
fn next_and_can_only_run_guards() {
    let ctx = DoorContext::default();
    let door = Door::Closed;
    assert!(door.can(&DoorEvent::Open, &ctx));
    assert!(!door.can(&DoorEvent::Lock, &ctx));
    assert!(!door.can(&DoorEvent::Close, &ctx));
    let row = door.next(&DoorEvent::Kick, &ctx).unwrap();
    assert_eq!(row.source, "_");
    assert_eq!(row.target, Some("Broken"));
    assert_eq!(door, Door::Closed);
}

#[test]
fn the_table_as_data() {
    assert_eq!(Door::STATES, ["Opened", "Closed", "Locked", "Broken"]);
    assert_eq!(
        Door::EVENTS,
        ["Open", "Close", "Lock", "Unlock", "Knock", "Kick"]
    );
    assert_eq!(Door::TRANSITIONS.len(), 7);
    let lock = &Door::TRANSITIONS[2];
    assert_eq!(lock.sources, ["Closed"]);
    assert_eq!(lock.event, "Lock");
    assert_eq!(lock.target, Some("Locked"));
    assert_eq!(lock.guard, Some("has_key"));
    assert_eq!(lock.action, Some("lock"));
    assert_eq!(
        Door::TRANSITIONS[6].sources,
        ["Opened", "Closed", "Locked", "Broken"]
    );
    assert_eq!(Door::TRANSITIONS[5].source, "Opened | Closed");
}

#[test]
fn mermaid_and_dot_text() {
    assert_eq!(
        Door::to_mermaid(),
        "stateDiagram-v2
    [*] --> Closed
    Closed --> Opened : Open
    Opened --> Closed : Close
    Closed --> Locked : Lock [has_key] / lock
    Locked --> Closed : Unlock [code_ok] / unlock
    Locked : Unlock / failed_attempt (internal)
    Opened : Knock / answer (internal)
    Closed : Knock / answer (internal)
    Opened --> Broken : Kick
    Closed --> Broken : Kick
    Locked --> Broken : Kick
    Broken --> Broken : Kick
    Broken --> [*]
"
    );
    assert_eq!(
        Door::to_dot(),
        "digraph Door {
    rankdir=LR;
    node [shape=box, style=rounded];
    __start [shape=point];
    __start -> Closed;
    Closed -> Opened [label=\"Open\"];
    Opened -> Closed [label=\"Close\"];
    Closed -> Locked [label=\"Lock [has_key] / lock\"];
    Locked -> Closed [label=\"Unlock [code_ok] / unlock\"];
    Locked -> Locked [label=\"Unlock / failed_attempt\", style=dashed];
    Opened -> Opened [label=\"Knock / answer\", style=dashed];
    Closed -> Closed [label=\"Knock / answer\", style=dashed];
    Opened -> Broken [label=\"Kick\"];
    Closed -> Broken [label=\"Kick\"];
    Locked -> Broken [label=\"Kick\"];
    Broken -> Broken [label=\"Kick\"];
    Broken [peripheries=2];
}
"
    );
}

fn drive<M: StateMachine>(
    machine: &mut M,
    events: &[M::Event],
    ctx: &mut M::Context,
) -> Vec<Fired<M>> {
    events
        .iter()
        .filter_map(|e| machine.fire(e, ctx).ok())
        .collect()
}

#[test]
fn generic_code_drives_any_machine() {
    let mut ctx = DoorContext::default();
    let mut door = <Door as StateMachine>::initial();
    let fired = drive(
        &mut door,
        &[DoorEvent::Open, DoorEvent::Lock, DoorEvent::Close],
        &mut ctx,
    );
    assert_eq!(fired.len(), 2);
    assert_eq!(door.state_name(), "Closed");
}

/// Generic code starts a machine and reads its state through the trait: the entry hooks
/// run where the table has them (the trait's `start` is the machine's), and nothing runs
/// where it has none (the trait's default).
#[test]
fn generic_code_starts_a_machine_and_names_its_state() {
    fn started<M: StateMachine>(context: &mut M::Context) -> (M, &'static str) {
        let mut machine = M::initial();
        machine.start(context);
        let name = machine.state_name();
        (machine, name)
    }
    let mut ctx = DoorContext::default();
    let (door, name) = started::<Door>(&mut ctx);
    assert_eq!((door, name), (Door::Closed, "Closed"));
    assert_eq!(ctx.log, ["enter Closed"]);
    let (mut door, _) = started::<Door>(&mut DoorContext::default());
    door.fire(&DoorEvent::Kick, &mut ctx).unwrap();
    assert_eq!(StateMachine::state_name(&door), "Broken");
    assert_eq!(StateMachine::state_index(&door), 3);

    let (countdown, name) = started::<Countdown>(&mut ());
    assert_eq!((countdown, name), (Countdown::Counting(0), "Counting"));
}

mod nested {
    use patternkit::StateMachine;

    pub enum Ev {
        In,
        Out,
        Across,
    }

    macro_rules! hooks {
        ($($name:ident)*) => {
            $(pub fn $name(log: &mut Vec<&'static str>) {
                log.push(stringify!($name));
            })*
        };
    }

    hooks!(enter_outer exit_outer enter_inner exit_inner enter_a exit_a enter_c exit_c enter_d exit_d);

    #[derive(StateMachine, Debug, PartialEq)]
    #[state_machine(
        event = Ev,
        context = Vec<&'static str>,
        initial = D,
        superstate(Outer, initial = Inner, states = [Inner, C], entry = enter_outer, exit = exit_outer),
        superstate(Inner, states = [A, B], entry = enter_inner, exit = exit_inner),
        transitions = [
            D + In      => Outer,
            Outer + Out => D,
            A + Across  => C,
            C + Across  => B,
            B + Across  => A,
        ],
    )]
    pub enum Deep {
        #[state(entry = enter_a, exit = exit_a)]
        A,
        B,
        #[state(entry = enter_c, exit = exit_c)]
        C,
        #[state(entry = enter_d, exit = exit_d)]
        D,
    }
}

#[test]
fn hooks_run_outermost_in_on_entry_and_innermost_out_on_exit() {
    use nested::{Deep, Ev};
    let mut log = Vec::new();
    let mut machine = Deep::initial();
    machine.fire(&Ev::In, &mut log).unwrap();
    assert_eq!(machine, Deep::A);
    assert_eq!(log, ["exit_d", "enter_outer", "enter_inner", "enter_a"]);
    log.clear();
    machine.fire(&Ev::Across, &mut log).unwrap();
    assert_eq!(machine, Deep::C);
    assert_eq!(log, ["exit_a", "exit_inner", "enter_c"]);
    log.clear();
    machine.fire(&Ev::Across, &mut log).unwrap();
    assert_eq!(machine, Deep::B);
    assert_eq!(log, ["exit_c", "enter_inner"]);
    log.clear();
    // A row from the outer superstate applies to a state two levels down.
    machine.fire(&Ev::Out, &mut log).unwrap();
    assert_eq!(machine, Deep::D);
    assert_eq!(log, ["exit_inner", "exit_outer", "enter_d"]);
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Clock, initial = Counting, transitions = [
    Counting + Tick(0) => Done,
    Counting + Tick    => Counting then count,
])]
enum Countdown {
    Counting(u32),
    #[state(final)]
    Done,
}

#[derive(Debug)]
enum Clock {
    #[allow(dead_code)]
    Tick(u32),
}

fn count(seen: u32, event: &Clock) -> u32 {
    let Clock::Tick(left) = event;
    seen + left
}

#[test]
fn event_data_is_matched_in_the_table_and_state_data_is_rebuilt() {
    let mut machine = Countdown::initial();
    assert_eq!(machine, Countdown::Counting(0));
    machine.fire(&Clock::Tick(3)).unwrap();
    machine.fire(&Clock::Tick(2)).unwrap();
    assert_eq!(machine, Countdown::Counting(5));
    machine.fire(&Clock::Tick(0)).unwrap();
    assert_eq!(machine, Countdown::Done);
    assert!(machine.fire(&Clock::Tick(1)).is_err());
    assert!(Countdown::to_mermaid().contains("Counting --> Done : Tick(0)"));
}

#[test]
fn without_a_context_asking_needs_only_the_event() {
    let machine = Countdown::Counting(1);
    assert!(machine.can(&Clock::Tick(0)));
    assert_eq!(
        machine.next(&Clock::Tick(0)).and_then(|row| row.target),
        Some("Done")
    );
    assert!(!Countdown::Done.can(&Clock::Tick(0)));
    // The trait keeps one shape for every machine.
    assert!(<Countdown as StateMachine>::can(
        &machine,
        &Clock::Tick(3),
        &()
    ));
}

#[allow(dead_code)]
enum Cmd {
    Go,
    Reset,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Cmd, initial = Idle,
    superstate(Active, states = [Busy, Paused]),
    transitions = [
        Idle + Go => Busy,
        Busy + Go => Paused,
        Paused + Go => Busy,
        _ + Reset => Idle,
        Busy + Reset => _,
        Active + Reset => Paused if never,
    ])]
enum Drawn {
    Idle,
    Busy,
    Paused,
}

fn never(_: &Drawn, _: &Cmd) -> bool {
    false
}

#[test]
fn diagrams_draw_only_edges_that_can_fire() {
    let mermaid = Drawn::to_mermaid();
    // `Busy + Reset => _` overrides `_ + Reset => Idle` in `Busy`.
    assert!(!mermaid.contains("Busy --> Idle : Reset"), "{mermaid}");
    assert!(mermaid.contains("Busy : Reset (internal)"), "{mermaid}");
    assert!(mermaid.contains("Paused --> Idle : Reset"), "{mermaid}");
    assert!(mermaid.contains("Idle --> Idle : Reset"), "{mermaid}");
    // The superstate's guarded row is tried before `_ + Reset` in `Paused`, and after
    // `Busy + Reset` in `Busy`, where it never fires: it is drawn from `Paused` alone.
    assert!(
        mermaid.contains("Paused --> Paused : Reset [never]"),
        "{mermaid}"
    );
    assert!(!mermaid.contains("Active --> Paused"), "{mermaid}");
    let dot = Drawn::to_dot();
    assert!(!dot.contains("Busy -> Idle"), "{dot}");
    assert!(dot.contains("Paused -> Idle [label=\"Reset\"]"), "{dot}");
}
