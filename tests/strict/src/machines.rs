//! `#[derive(StateMachine)]` with every option, reached through the renamed dependency `pk`.

use pk::StateMachine;

/// What the door reacts to.
#[derive(Debug)]
pub enum DoorEvent {
    /// Open it.
    Open,
    /// Close it.
    Close,
    /// Lock it.
    Lock,
    /// Try a code.
    Unlock {
        /// The code tried.
        code: u32,
    },
    /// Break it.
    Kick,
    /// Knock on it.
    Knock,
    /// Switch the alarm on.
    Arm,
}

/// What guards read and actions change.
#[derive(Debug, Default)]
pub struct Keys {
    /// The right code.
    pub code: u32,
    /// What happened.
    pub log: Vec<String>,
}

fn code_ok(_: &Door, event: &DoorEvent, keys: &Keys) -> bool {
    matches!(event, DoorEvent::Unlock { code } if *code == keys.code)
}

fn lock(_: &DoorEvent, keys: &mut Keys) -> u8 {
    keys.log.push("lock".to_owned());
    0
}

fn retry(attempts: &mut u8, _: &DoorEvent, _: &mut Keys) {
    *attempts += 1;
}

fn unlock(attempts: u8, _: &DoorEvent, keys: &mut Keys) {
    keys.log.push(format!("unlock after {attempts}"));
}

fn knock(_: &DoorEvent, keys: &mut Keys) {
    keys.log.push("knock".to_owned());
}

fn enter(keys: &mut Keys) {
    keys.log.push("enter".to_owned());
}

fn leave(keys: &mut Keys) {
    keys.log.push("leave".to_owned());
}

/// A door with every kind of row.
#[derive(Debug, StateMachine, PartialEq, Eq)]
#[state_machine(
    crate = pk,
    event = DoorEvent,
    context = Keys,
    initial = Closed,
    superstate(Shut, initial = Closed, states = [Closed, Locked], entry = enter, exit = leave),
    transitions = [
        Closed + Open             => Opened,
        Opened + Close            => Closed,
        Closed + Lock             => Locked then lock,
        Locked + Unlock { .. }    => Closed if code_ok then unlock,
        Locked + Unlock           => _ then retry,
        Opened | Closed + Knock   => _ then knock,
        Shut + Arm                => Armed,
        _ + Kick                  => Broken,
    ],
)]
pub enum Door {
    /// Open.
    #[state(entry = enter, exit = leave)]
    Opened,
    /// Closed.
    Closed,
    /// Locked, counting wrong codes.
    Locked {
        /// Wrong codes so far.
        attempts: u8,
    },
    /// Alarm on.
    #[state(final)]
    Armed,
    /// Broken.
    #[state(final)]
    Broken,
}

/// A machine without a context, checked for every (state, event) pair.
#[derive(Debug, StateMachine, Clone, Copy, PartialEq, Eq)]
#[state_machine(crate = pk, exhaustive, event = Coin, initial = Locked, transitions = [
    Locked   + Insert => Unlocked,
    Unlocked + Push   => Locked,
    Maintenance + Push => Locked,
    _        + Insert => _,
    _        + Push   => _,
])]
pub enum Turnstile {
    /// Locked.
    Locked,
    /// Unlocked.
    Unlocked,
    /// Never entered by a row.
    #[state(allow_unreachable)]
    Maintenance,
}

/// What the barrier is told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Barrier {
    /// Let one through.
    Open,
    /// Close behind them.
    Close,
}

/// The same turnstile, telling its barrier what to do (outputs).
#[derive(Debug, StateMachine, Clone, Copy, PartialEq, Eq)]
#[state_machine(crate = pk, event = Coin, output = Barrier, initial = Locked, transitions = [
    Locked   + Insert => Unlocked output Open,
    Unlocked + Push   => Locked output Barrier::Close,
    _        + Insert => _,
    _        + Push   => _,
])]
pub enum Gate {
    /// Locked.
    Locked,
    /// Unlocked.
    Unlocked,
}

/// A build pipeline: eight states that only move, fired by one lookup in a table.
#[derive(Debug, StateMachine, Clone, Copy, PartialEq, Eq)]
#[state_machine(crate = pk, event = Stage, initial = Queued, dispatch = table,
    superstate(Running, states = [Fetching, Building, Testing, Packaging, Publishing]),
    transitions = [
        Queued + Step => Fetching,
        Fetching + Step => Building,
        Building + Step => Testing,
        Testing + Step => Packaging,
        Packaging + Step => Publishing,
        Publishing + Step => Done,
        Running + Fail => Failed,
        Failed + Retry => Queued,
        Done + Retry => Queued,
    ])]
pub enum Pipeline {
    /// Waiting for a runner.
    Queued,
    /// Fetching the sources.
    Fetching,
    /// Compiling.
    Building,
    /// Running the tests.
    Testing,
    /// Packaging.
    Packaging,
    /// Publishing.
    Publishing,
    /// Published.
    Done,
    /// Failed at some stage.
    Failed,
}

/// The same pipeline with a guard on retrying: the table, and the `match` for that cell.
#[derive(Debug, StateMachine, PartialEq, Eq)]
#[state_machine(crate = pk, event = Stage, initial = Queued, dispatch = table,
    superstate(Running, states = [Fetching, Building, Testing, Packaging, Publishing]),
    transitions = [
        Queued + Step => Fetching,
        Fetching + Step => Building,
        Building + Step => Testing,
        Testing + Step => Packaging,
        Packaging + Step => Publishing,
        Publishing + Step => Done,
        Running + Fail => Failed,
        Failed + Retry => Queued if retry_allowed,
        Done + Retry => Queued,
    ])]
pub enum GuardedPipeline {
    /// Waiting for a runner.
    Queued,
    /// Fetching the sources.
    Fetching,
    /// Compiling.
    Building,
    /// Running the tests.
    Testing,
    /// Packaging.
    Packaging,
    /// Publishing.
    Publishing,
    /// Published.
    Done,
    /// Failed at some stage.
    Failed,
}

fn retry_allowed(_: &GuardedPipeline, _: &Stage) -> bool {
    true
}

/// What moves a pipeline.
#[derive(Debug)]
pub enum Stage {
    /// The current stage succeeded.
    Step,
    /// The current stage failed.
    Fail,
    /// Start again.
    Retry,
}

/// Turnstile events.
#[derive(Debug, Clone, Copy)]
pub enum Coin {
    /// A coin.
    Insert,
    /// A push.
    Push,
}

/// Drives the door through every row once.
#[must_use]
pub fn door_log() -> Vec<String> {
    let mut keys = Keys {
        code: 7,
        log: Vec::new(),
    };
    let mut door = Door::initial();
    for event in [
        DoorEvent::Knock,
        DoorEvent::Open,
        DoorEvent::Close,
        DoorEvent::Lock,
        DoorEvent::Unlock { code: 1 },
        DoorEvent::Unlock { code: 7 },
        DoorEvent::Arm,
    ] {
        let _ = door.fire(&event, &mut keys);
    }
    keys.log
}
