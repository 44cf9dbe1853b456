//! What an accepted event returns: which row fired, from which state to which, as indices
//! into the machine's tables, with the names looked up only when asked for.

use core::fmt;
use core::marker::PhantomData;

use super::{MachineTable, TransitionInfo};

/// What happened when an event was accepted.
///
/// Four bytes: the state before and the row that fired, as indices into `M::STATES` and
/// `M::TRANSITIONS`. Firing returns it in a register; the names and the row (and from it the
/// state after) are read from the machine's constants when asked for.
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
///
/// #[derive(StateMachine, Debug, PartialEq)]
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
/// let fired = job.fire(&Ev::Start)?;
/// assert_eq!((fired.from(), fired.to()), ("Idle", "Busy"));
/// assert_eq!(fired.transition().event, "Start");
/// assert_eq!(core::mem::size_of_val(&fired), 4);
/// # Ok::<(), patternkit::InvalidTransition<Job>>(())
/// ```
pub struct Fired<M> {
    /// The state before in the low half, the row in the high half: one word, so that a table
    /// of rows compiles to one lookup per event.
    bits: u32,
    machine: PhantomData<fn() -> M>,
}

impl<M> Fired<M> {
    /// Row `row` fired in state `from` (indices into the machine's `TRANSITIONS` and
    /// `STATES`). Generated code builds it.
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub const fn new(from: u16, row: u16) -> Self {
        Self {
            bits: from as u32 | (row as u32) << 16,
            machine: PhantomData,
        }
    }

    /// The state before, as an index into `STATES`.
    #[inline]
    #[must_use]
    pub const fn from_index(&self) -> usize {
        (self.bits & 0xffff) as usize
    }

    /// The row that fired, as an index into `TRANSITIONS`; for a row into a superstate with
    /// history that went back to another state than the superstate's initial one, an index
    /// past `TRANSITIONS` into `HISTORY_TRANSITIONS` ([`table_row`](Self::table_row) gives
    /// the row of the table).
    #[inline]
    #[must_use]
    pub const fn row_index(&self) -> usize {
        (self.bits >> 16) as usize
    }
}

impl<M: MachineTable> Fired<M> {
    /// The row of `TRANSITIONS` that fired, also when it went back into a superstate's
    /// history (where [`row_index`](Self::row_index) names the row as it fired, past
    /// `TRANSITIONS`).
    #[must_use]
    pub fn table_row(&self) -> usize {
        let row = self.row_index();
        match row.checked_sub(M::TRANSITIONS.len()) {
            Some(history) => M::HISTORY_ROWS
                .get(history)
                .map_or(row, |&row| usize::from(row)),
            None => row,
        }
    }

    /// The state before.
    #[must_use]
    pub fn from(&self) -> &'static str {
        name(M::STATES, self.from_index())
    }

    /// The state after (the same for an internal transition).
    #[must_use]
    pub fn to(&self) -> &'static str {
        self.transition().enters.unwrap_or_else(|| self.from())
    }

    /// Whether the machine stayed in its state without leaving it (an internal transition,
    /// `=> _`).
    #[must_use]
    pub fn is_internal(&self) -> bool {
        self.transition().enters.is_none()
    }

    /// The row that fired.
    ///
    /// # Panics
    ///
    /// Never for a `Fired` returned by `fire`; only when made by hand with a row the table
    /// does not have.
    #[must_use]
    pub fn transition(&self) -> &'static TransitionInfo {
        let row = self.row_index();
        match M::TRANSITIONS.get(row) {
            Some(transition) => transition,
            None => &M::HISTORY_TRANSITIONS[row - M::TRANSITIONS.len()],
        }
    }
}

impl<M: super::MachineOutput> Fired<M> {
    /// What the row that fired gives back (`output Value` in the table), if it gives
    /// anything; see [`MachineOutput`](super::MachineOutput).
    #[inline]
    #[must_use]
    pub fn output(&self) -> Option<&'static M::Output> {
        M::OUTPUTS.get(self.table_row()).and_then(Option::as_ref)
    }
}

/// `Clone`, `Copy`, `PartialEq`, `Eq` and `Hash` for an outcome held in one word (`bits`),
/// whatever the machine type: derives would require them of `M`.
macro_rules! one_word {
    ($outcome:ident) => {
        impl<M> Clone for $outcome<M> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<M> Copy for $outcome<M> {}

        impl<M> PartialEq for $outcome<M> {
            fn eq(&self, other: &Self) -> bool {
                self.bits == other.bits
            }
        }

        impl<M> Eq for $outcome<M> {}

        impl<M> core::hash::Hash for $outcome<M> {
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                self.bits.hash(state);
            }
        }
    };
}

pub(super) use one_word;

/// A name from a machine's table, `"?"` for an index it does not have.
pub(super) fn name(names: &'static [&'static str], index: usize) -> &'static str {
    names.get(index).copied().unwrap_or("?")
}

one_word!(Fired);

impl<M: MachineTable> fmt::Debug for Fired<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fired")
            .field("from", &self.from())
            .field("to", &self.to())
            .field("transition", self.transition())
            .finish()
    }
}
