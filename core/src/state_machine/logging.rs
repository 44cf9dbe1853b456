//! `#[state_machine(log)]`: every event, transition and rejection written through the `log`
//! facade (feature `log`), under the target `patternkit::state_machine`.

use super::{Fired, InvalidTransition, MachineTable};

/// What a machine with `#[state_machine(log)]` calls. Implemented by [`Log`] only when the
/// `log` feature is on.
#[diagnostic::on_unimplemented(
    message = "`#[state_machine(log)]` needs the `log` feature of patternkit",
    label = "logs through the `log` crate",
    note = "add `features = [\"log\"]` to the `patternkit` dependency, or drop `log` from `#[state_machine(...)]`"
)]
pub trait MachineLog {
    /// Before an event is tried in the state called `state`.
    fn before_event<M: MachineTable>(state: &str);
    /// After an event fired a row.
    fn transition<M: MachineTable>(fired: Fired<M>);
    /// After an event was rejected.
    fn unhandled<M: MachineTable>(refused: InvalidTransition<M>);
}

/// The `log` implementation of [`MachineLog`].
pub struct Log;

#[cfg(feature = "log")]
impl MachineLog for Log {
    fn before_event<M: MachineTable>(state: &str) {
        log::trace!(
            target: "patternkit::state_machine",
            "{}: event in state `{state}`",
            M::NAME
        );
    }

    fn transition<M: MachineTable>(fired: Fired<M>) {
        log::debug!(
            target: "patternkit::state_machine",
            "{}: `{}` --{}--> `{}`",
            M::NAME,
            fired.from(),
            fired.transition().event,
            fired.to()
        );
    }

    fn unhandled<M: MachineTable>(refused: InvalidTransition<M>) {
        log::debug!(target: "patternkit::state_machine", "{}: {refused}", M::NAME);
    }
}
