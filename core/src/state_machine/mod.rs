//! State machines declared as a transition table: the [`StateMachine`] trait, the table as
//! data ([`TransitionInfo`]), and what firing an event returns ([`Fired`],
//! [`InvalidTransition`]).
//!
//! `#[derive(StateMachine)]` implements the trait for the user's state enum and generates the
//! `match` that runs it; see the derive's documentation for the table syntax.

pub(crate) mod data;
mod deferring;
mod error;
mod fire_error;
mod fired;
mod history;
pub(crate) mod logging;
pub(crate) mod next_row;
mod regions;
mod row;
#[cfg(feature = "serde")]
mod serde;

pub use deferring::{Deferring, Outcome};
pub use error::{InvalidTransition, Rejection};
pub use fire_error::FireError;
pub use fired::Fired;
pub use history::{History, KeepsHistory};

pub use regions::{Regions, RegionsFired};

/// One row of a transition table, as written, with its source expanded to concrete states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TransitionInfo {
    /// The states the row applies to (a `_` row lists every state; a superstate, every state
    /// inside it).
    pub sources: &'static [&'static str],
    /// The source as written in the table: a state, `A | B`, a superstate, or `_`.
    pub source: &'static str,
    /// The event variant.
    pub event: &'static str,
    /// The target as written, or `None` for an internal transition (`=> _`).
    pub target: Option<&'static str>,
    /// The state actually entered: the target, or the initial state inside a target
    /// superstate. `None` for an internal transition.
    pub enters: Option<&'static str>,
    /// The guard's path, if the row has one.
    pub guard: Option<&'static str>,
    /// The action's path, if the row has one.
    pub action: Option<&'static str>,
}

/// A machine's table as data: what [`Fired`] and [`InvalidTransition`] read names from.
///
/// Implemented by `#[derive(StateMachine)]` for every machine, also one whose event or
/// context borrows (`event = Input<'_>`), which cannot implement [`StateMachine`]: the
/// trait's associated types cannot borrow.
pub trait MachineTable: Sized {
    /// The state enum's name.
    const NAME: &'static str;
    /// Every state, in declaration order.
    const STATES: &'static [&'static str];
    /// Every event the table names, in the order it first names them.
    const EVENTS: &'static [&'static str];
    /// The table, row by row.
    const TRANSITIONS: &'static [TransitionInfo];
    /// Rows into a superstate with history, as they fire when the machine goes back to a
    /// state other than the superstate's initial one: each a copy of its row in
    /// `TRANSITIONS` with that state as `enters`. [`Fired`] names one of them by an index
    /// past `TRANSITIONS`.
    const HISTORY_TRANSITIONS: &'static [TransitionInfo] = &[];
    /// For each of `HISTORY_TRANSITIONS`, the index of its row in `TRANSITIONS`.
    const HISTORY_ROWS: &'static [u16] = &[];
}

/// What a machine's rows give back when they fire: its outputs, as in a Mealy machine.
///
/// Implemented by `#[derive(StateMachine)]` for a machine that declares `output = Type`;
/// each row may end with `output Value`, a constant of that type, which
/// [`Fired::output`] returns after the row fires. The outputs are a table beside the
/// transitions, so firing costs nothing more: the output is looked up when asked for.
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
///
/// #[derive(Debug, PartialEq)]
/// enum Command {
///     StartTimer,
///     Alarm,
/// }
///
/// enum Outcome {
///     Failure,
///     Success,
///     TimerElapsed,
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Outcome, output = Command, initial = Closed, transitions = [
///     Closed   + Failure      => Open output StartTimer,
///     Open     + TimerElapsed => HalfOpen,
///     HalfOpen + Success      => Closed,
///     HalfOpen + Failure      => Open output Alarm,
/// ])]
/// enum Breaker {
///     Closed,
///     Open,
///     HalfOpen,
/// }
///
/// let mut breaker = Breaker::initial();
/// let fired = breaker.fire(&Outcome::Failure)?;
/// assert_eq!(fired.output(), Some(&Command::StartTimer));
/// assert_eq!(breaker.fire(&Outcome::TimerElapsed)?.output(), None);
/// # Ok::<(), patternkit::InvalidTransition<Breaker>>(())
/// ```
pub trait MachineOutput: MachineTable {
    /// What the rows give back.
    type Output: 'static;
    /// Each row's output, in the order of [`MachineTable::TRANSITIONS`]; `None` for a row
    /// that gives none.
    const OUTPUTS: &'static [Option<Self::Output>];
}

/// A state enum run by a transition table.
///
/// Implemented by `#[derive(StateMachine)]`, which also generates the same functions as
/// inherent functions of the enum (there, a machine whose table names no context takes none:
/// `machine.fire(&event)`).
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Coin, initial = Locked, transitions = [
///     Locked   + Insert => Unlocked,
///     Unlocked + Push   => Locked,
///     Unlocked + Insert => _,
/// ])]
/// enum Turnstile {
///     Locked,
///     Unlocked,
/// }
///
/// enum Coin {
///     Insert,
///     Push,
/// }
///
/// fn run<M: StateMachine<Context = ()>>(events: &[M::Event]) -> M {
///     let mut machine = M::initial();
///     machine.start(&mut ());
///     for event in events {
///         let _ = machine.fire(event, &mut ());
///     }
///     machine
/// }
///
/// assert_eq!(run::<Turnstile>(&[Coin::Insert, Coin::Push, Coin::Insert]), Turnstile::Unlocked);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a state machine",
    note = "add `#[derive(patternkit::StateMachine)]` and a `#[state_machine(...)]` table to `{Self}`"
)]
pub trait StateMachine: MachineTable {
    /// The events the table reacts to.
    type Event;
    /// What guards read and actions and hooks change (`()` when the table names none).
    type Context;
    /// What `fire` returns when the event is not applied: [`InvalidTransition`], or
    /// [`FireError`] when the table's guards or actions can fail (`error = E`).
    type Error;

    /// The initial state: its data as the table gives it (`initial = State(data)`), or from
    /// `Default`. No hook runs; [`start`](Self::start) runs the entry hooks.
    fn initial() -> Self;

    /// Enters the current state as a transition into it from outside would: the entry hooks
    /// of its superstates, outermost first, then its own. Call it once, before the first
    /// event, on the initial state or on a state built or restored by hand.
    ///
    /// By default, nothing: a table without entry hooks has nothing to run.
    fn start(&mut self, context: &mut Self::Context) {
        let _ = context;
    }

    /// The name of the current state: by default, its entry in
    /// [`STATES`](MachineTable::STATES).
    fn state_name(&self) -> &'static str {
        Self::STATES[self.state_index()]
    }

    /// Whether the machine is in the state or superstate called `name`.
    fn is_in(&self, name: &str) -> bool {
        self.state_name() == name
    }

    /// The current state as an index into [`STATES`](MachineTable::STATES).
    fn state_index(&self) -> usize;

    /// The row that `event` would fire now, without firing it or running anything but guards.
    fn next(&self, event: &Self::Event, context: &Self::Context)
    -> Option<&'static TransitionInfo>;

    /// Fires `event`: exit hooks of the states left, the row's action, entry hooks of the
    /// states entered.
    ///
    /// # Errors
    ///
    /// [`InvalidTransition`] when no row accepts the event now; the state is then unchanged
    /// and nothing has run but guards. With fallible guards or actions, [`FireError`], which
    /// also carries their error; the state is unchanged then too.
    fn fire(
        &mut self,
        event: &Self::Event,
        context: &mut Self::Context,
    ) -> Result<Fired<Self>, Self::Error>;

    /// Whether the current state defers `event` (`#[state(defer = [..])]`), for
    /// [`Deferring`] to keep it until the next transition.
    fn defers(&self, event: &Self::Event) -> bool {
        let _ = event;
        false
    }

    /// Whether `event` would be accepted now.
    fn can(&self, event: &Self::Event, context: &Self::Context) -> bool {
        self.next(event, context).is_some()
    }
}
