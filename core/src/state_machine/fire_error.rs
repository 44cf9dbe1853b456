//! What `fire` returns on failure for a machine whose guards or actions can fail
//! (`#[state_machine(error = E)]`): the rejection, or the guard's or action's error.

use core::fmt;

use super::{InvalidTransition, MachineTable};

/// Why an event was not applied by a machine with fallible guards or actions. In every case
/// the state is as it was before the event: a fallible action runs before any hook and
/// before the state changes.
///
/// # Example
///
/// ```
/// use patternkit::state_machine::FireError;
/// use patternkit::StateMachine;
///
/// #[derive(Debug, PartialEq)]
/// struct Offline;
///
/// enum Ev {
///     Pay(u32),
/// }
///
/// fn charge(event: &Ev, balance: &mut u32) -> Result<u32, Offline> {
///     let Ev::Pay(amount) = event;
///     if *balance < *amount {
///         return Err(Offline);
///     }
///     *balance -= amount;
///     Ok(*amount)
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Ev, context = u32, error = Offline, initial = Open, transitions = [
///     Open + Pay => Paid then charge?,
/// ])]
/// enum Order {
///     Open,
///     #[state(final)]
///     Paid(u32),
/// }
///
/// let mut balance = 5;
/// let mut order = Order::initial();
/// assert_eq!(order.fire(&Ev::Pay(9), &mut balance), Err(FireError::Action(Offline)));
/// assert_eq!(order, Order::Open);
/// order.fire(&Ev::Pay(4), &mut balance).unwrap();
/// assert_eq!(order, Order::Paid(4));
/// assert!(matches!(order.fire(&Ev::Pay(1), &mut balance), Err(FireError::Rejected(_))));
/// ```
pub enum FireError<M, E> {
    /// No row accepted the event.
    Rejected(InvalidTransition<M>),
    /// A guard returned this error.
    Guard(E),
    /// The action returned this error.
    Action(E),
}

impl<M, E> FireError<M, E> {
    /// The rejection, when no row accepted the event.
    #[must_use]
    pub const fn rejected(&self) -> Option<&InvalidTransition<M>> {
        match self {
            Self::Rejected(refused) => Some(refused),
            Self::Guard(_) | Self::Action(_) => None,
        }
    }

    /// The guard's or action's error, when one failed.
    #[must_use]
    pub const fn error(&self) -> Option<&E> {
        match self {
            Self::Guard(error) | Self::Action(error) => Some(error),
            Self::Rejected(_) => None,
        }
    }
}

impl<M, E> From<InvalidTransition<M>> for FireError<M, E> {
    fn from(refused: InvalidTransition<M>) -> Self {
        Self::Rejected(refused)
    }
}

impl<M, E: Clone> Clone for FireError<M, E> {
    fn clone(&self) -> Self {
        match self {
            Self::Rejected(refused) => Self::Rejected(*refused),
            Self::Guard(error) => Self::Guard(error.clone()),
            Self::Action(error) => Self::Action(error.clone()),
        }
    }
}

impl<M, E: PartialEq> PartialEq for FireError<M, E> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Rejected(a), Self::Rejected(b)) => a == b,
            (Self::Guard(a), Self::Guard(b)) | (Self::Action(a), Self::Action(b)) => a == b,
            _ => false,
        }
    }
}

impl<M: MachineTable, E: fmt::Debug> fmt::Debug for FireError<M, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(refused) => f.debug_tuple("Rejected").field(refused).finish(),
            Self::Guard(error) => f.debug_tuple("Guard").field(error).finish(),
            Self::Action(error) => f.debug_tuple("Action").field(error).finish(),
        }
    }
}

impl<M: MachineTable, E: fmt::Display> fmt::Display for FireError<M, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(refused) => refused.fmt(f),
            Self::Guard(error) => write!(f, "{}: a guard failed: {error}", M::NAME),
            Self::Action(error) => write!(f, "{}: an action failed: {error}", M::NAME),
        }
    }
}

impl<M: MachineTable, E: core::error::Error + 'static> core::error::Error for FireError<M, E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Rejected(_) => None,
            Self::Guard(error) | Self::Action(error) => Some(error),
        }
    }
}
