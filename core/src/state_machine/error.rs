use core::fmt;

/// Why an event was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// No row of the table starts from the current state with this event.
    NoTransition,
    /// Rows exist, but the guard of every one of them said no.
    GuardsRejected,
}

/// An event the current state does not accept. The state is unchanged.
///
/// # Example
///
/// ```
/// use patternkit::{Rejection, StateMachine};
///
/// #[derive(StateMachine)]
/// #[state_machine(event = Ev, initial = Idle, transitions = [Idle + Start => Busy, Busy + Stop => Idle])]
/// enum Job {
///     Idle,
///     Busy,
/// }
///
/// enum Ev {
///     Start,
///     Stop,
/// }
///
/// let mut job = Job::initial();
/// let error = job.fire(&Ev::Stop, &mut ()).unwrap_err();
/// assert_eq!(error.state(), "Idle");
/// assert_eq!(error.event(), "Stop");
/// assert_eq!(error.rejection(), Rejection::NoTransition);
/// assert_eq!(error.to_string(), "state `Idle` does not accept event `Stop`");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvalidTransition {
    machine: &'static str,
    state: &'static str,
    event: &'static str,
    rejection: Rejection,
}

impl InvalidTransition {
    /// The error for `event` in `state` of the machine `machine`.
    #[must_use]
    pub const fn new(
        machine: &'static str,
        state: &'static str,
        event: &'static str,
        rejection: Rejection,
    ) -> Self {
        Self {
            machine,
            state,
            event,
            rejection,
        }
    }

    /// The state enum's name.
    #[must_use]
    pub const fn machine(&self) -> &'static str {
        self.machine
    }

    /// The current state, which did not change.
    #[must_use]
    pub const fn state(&self) -> &'static str {
        self.state
    }

    /// The event's variant (`"?"` for a variant the table never names).
    #[must_use]
    pub const fn event(&self) -> &'static str {
        self.event
    }

    /// Why it was rejected.
    #[must_use]
    pub const fn rejection(&self) -> Rejection {
        self.rejection
    }
}

impl fmt::Display for InvalidTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "state `{}` does not accept event `{}`",
            self.state, self.event
        )?;
        if self.rejection == Rejection::GuardsRejected {
            f.write_str(": every guard of its transitions said no")?;
        }
        Ok(())
    }
}

impl core::error::Error for InvalidTransition {}
