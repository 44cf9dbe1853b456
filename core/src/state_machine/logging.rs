//! `#[state_machine(log)]`: every event, transition and rejection written through the `log`
//! facade (feature `log`), under the target `patternkit::state_machine`.

use super::{Fired, InvalidTransition, StateMachine};

/// What a machine with `#[state_machine(log)]` calls. Implemented by [`Log`] only when the
/// `log` feature is on.
#[diagnostic::on_unimplemented(
    message = "`#[state_machine(log)]` needs the `log` feature of patternkit",
    label = "logs through the `log` crate",
    note = "add `features = [\"log\"]` to the `patternkit` dependency, or drop `log` from `#[state_machine(...)]`"
)]
pub trait MachineLog {
    /// Before an event is tried.
    fn before_event<M: StateMachine>(machine: &M);
    /// After an event fired a row.
    fn transition<M: StateMachine>(fired: Fired<M>);
    /// After an event was rejected.
    fn unhandled<M: StateMachine>(refused: InvalidTransition<M>);
}

/// The `log` implementation of [`MachineLog`].
pub struct Log;

#[cfg(feature = "log")]
impl MachineLog for Log {
    fn before_event<M: StateMachine>(machine: &M) {
        log::trace!(
            target: "patternkit::state_machine",
            "{}: event in state `{}`",
            M::NAME,
            machine.state_name()
        );
    }

    fn transition<M: StateMachine>(fired: Fired<M>) {
        log::debug!(
            target: "patternkit::state_machine",
            "{}: `{}` --{}--> `{}`",
            M::NAME,
            fired.from(),
            fired.transition().event,
            fired.to()
        );
    }

    fn unhandled<M: StateMachine>(refused: InvalidTransition<M>) {
        log::debug!(target: "patternkit::state_machine", "{}: {refused}", M::NAME);
    }
}
