use core::fmt;
use core::marker::PhantomData;

use super::MachineTable;
use super::fired::{name, one_word};

/// Why an event was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// No row of the table starts from the current state with this event.
    NoTransition,
    /// Rows exist, but the guard of every one of them said no.
    GuardsRejected,
}

/// An event the current state of machine `M` does not accept. The state is unchanged.
///
/// Four bytes (the state and event as indices into `M::STATES` and `M::EVENTS`, and the
/// [`Rejection`]): a rejected event costs no more to return than an accepted one, and the
/// names are looked up only when asked for.
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
/// let error = job.fire(&Ev::Stop).unwrap_err();
/// assert_eq!(error.machine(), "Job");
/// assert_eq!(error.state(), "Idle");
/// assert_eq!(error.event(), "Stop");
/// assert_eq!(error.rejection(), Rejection::NoTransition);
/// assert_eq!(error.to_string(), "state `Idle` does not accept event `Stop`");
/// ```
pub struct InvalidTransition<M> {
    /// The state in the low half; the event in the high half, its top bit set when guards
    /// rejected it: one word, like [`Fired`](super::Fired).
    bits: u32,
    machine: PhantomData<fn() -> M>,
}

/// The event index of a variant the table never names.
const UNNAMED: u32 = 0x7fff;
/// The bit of the event half that says guards rejected the event.
const GUARDS: u32 = 0x8000;

impl<M> InvalidTransition<M> {
    /// The error for the event at index `event` of `EVENTS` (`u16::MAX`, or any index from
    /// `0x7fff` up, for one the table never names) in the state at index `state` of
    /// `STATES`. Generated code builds it.
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub const fn new(state: u16, event: u16, rejection: Rejection) -> Self {
        let event = if event as u32 >= UNNAMED {
            UNNAMED
        } else {
            event as u32
        };
        let guards = match rejection {
            Rejection::NoTransition => 0,
            Rejection::GuardsRejected => GUARDS,
        };
        Self {
            bits: state as u32 | (event | guards) << 16,
            machine: PhantomData,
        }
    }

    /// The current state, which did not change, as an index into `STATES`.
    #[inline]
    #[must_use]
    pub const fn state_index(&self) -> usize {
        (self.bits & 0xffff) as usize
    }

    /// The event as an index into `EVENTS`, or `None` for a variant the table never names.
    #[inline]
    #[must_use]
    pub const fn event_index(&self) -> Option<usize> {
        let event = (self.bits >> 16) & !GUARDS;
        if event == UNNAMED {
            None
        } else {
            Some(event as usize)
        }
    }

    /// Why it was rejected.
    #[inline]
    #[must_use]
    pub const fn rejection(&self) -> Rejection {
        if (self.bits >> 16) & GUARDS == 0 {
            Rejection::NoTransition
        } else {
            Rejection::GuardsRejected
        }
    }
}

impl<M: MachineTable> InvalidTransition<M> {
    /// The state enum's name.
    #[must_use]
    pub fn machine(&self) -> &'static str {
        M::NAME
    }

    /// The current state, which did not change.
    #[must_use]
    pub fn state(&self) -> &'static str {
        name(M::STATES, self.state_index())
    }

    /// The event's variant (`"?"` for a variant the table never names).
    #[must_use]
    pub fn event(&self) -> &'static str {
        self.event_index()
            .map_or("?", |index| name(M::EVENTS, index))
    }
}

one_word!(InvalidTransition);

impl<M: MachineTable> fmt::Debug for InvalidTransition<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvalidTransition")
            .field("machine", &self.machine())
            .field("state", &self.state())
            .field("event", &self.event())
            .field("rejection", &self.rejection())
            .finish()
    }
}

impl<M: MachineTable> fmt::Display for InvalidTransition<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "state `{}` does not accept event `{}`",
            self.state(),
            self.event()
        )?;
        if self.rejection() == Rejection::GuardsRejected {
            f.write_str(": every guard of its transitions said no")?;
        }
        Ok(())
    }
}

impl<M: MachineTable> core::error::Error for InvalidTransition<M> {}
