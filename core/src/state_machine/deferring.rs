//! Deferred events: a state may defer events it cannot take yet (`#[state(defer = [..])]`);
//! [`Deferring`] keeps them, in order, and tries them again after each transition, as UML
//! statecharts and Boost.SML do.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::{Fired, MachineTable, StateMachine};

/// What [`Deferring::fire`] did with an event.
pub enum Outcome<M> {
    /// A row fired.
    Fired(Fired<M>),
    /// The current state defers the event: it is kept and tried again after the next
    /// transition.
    Deferred,
}

impl<M> Outcome<M> {
    /// The row that fired, if one did.
    #[must_use]
    pub const fn fired(&self) -> Option<&Fired<M>> {
        match self {
            Self::Fired(fired) => Some(fired),
            Self::Deferred => None,
        }
    }
}

impl<M> PartialEq for Outcome<M> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Fired(a), Self::Fired(b)) => a == b,
            (Self::Deferred, Self::Deferred) => true,
            _ => false,
        }
    }
}

impl<M: MachineTable> core::fmt::Debug for Outcome<M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Fired(fired) => f.debug_tuple("Fired").field(fired).finish(),
            Self::Deferred => f.write_str("Deferred"),
        }
    }
}

/// A machine with a queue of deferred events.
///
/// An event the current state defers is kept instead of rejected. After every event that
/// fires a row, the kept events are tried again in the order they came: each one the new
/// state no longer defers is fired (and its outcome kept for [`take_replayed`]); the rest
/// stay. Nothing is dropped: an event that is rejected when tried again is reported there
/// too.
///
/// [`take_replayed`]: Deferring::take_replayed
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
/// use patternkit::state_machine::{Deferring, Outcome};
///
/// enum Ev {
///     Connect,
///     Connected,
///     Send(u32),
/// }
///
/// fn record(event: &Ev, sent: &mut Vec<u32>) {
///     if let Ev::Send(n) = event {
///         sent.push(*n);
///     }
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Ev, context = Vec<u32>, initial = Offline, transitions = [
///     Offline    + Connect   => Connecting,
///     Connecting + Connected => Online,
///     Online     + Send      => _ then record,
/// ])]
/// enum Link {
///     #[state(defer = [Send])]
///     Offline,
///     #[state(defer = [Send])]
///     Connecting,
///     Online,
/// }
///
/// let mut sent = Vec::new();
/// let mut link = Deferring::new(Link::initial());
/// assert_eq!(link.fire(Ev::Send(1), &mut sent), Ok(Outcome::Deferred));
/// link.fire(Ev::Connect, &mut sent).unwrap();
/// link.fire(Ev::Send(2), &mut sent).unwrap();
/// link.fire(Ev::Connected, &mut sent).unwrap();
/// // Both sends were kept until `Online`, and then sent in order.
/// assert_eq!(sent, [1, 2]);
/// assert_eq!(link.take_replayed().len(), 2);
/// assert_eq!(*link.machine(), Link::Online);
/// ```
pub struct Deferring<M: StateMachine> {
    machine: M,
    queue: VecDeque<M::Event>,
    replayed: Vec<Result<Fired<M>, M::Error>>,
}

impl<M: StateMachine> Deferring<M> {
    /// `machine`, with no event kept.
    #[must_use]
    pub const fn new(machine: M) -> Self {
        Self {
            machine,
            queue: VecDeque::new(),
            replayed: Vec::new(),
        }
    }

    /// The machine.
    #[must_use]
    pub const fn machine(&self) -> &M {
        &self.machine
    }

    /// The events kept, oldest first.
    #[must_use]
    pub const fn deferred(&self) -> &VecDeque<M::Event> {
        &self.queue
    }

    /// The outcomes of the kept events tried again since the last call, in order.
    #[must_use]
    pub fn take_replayed(&mut self) -> Vec<Result<Fired<M>, M::Error>> {
        core::mem::take(&mut self.replayed)
    }

    /// The machine and the events still kept.
    #[must_use]
    pub fn into_parts(self) -> (M, VecDeque<M::Event>) {
        (self.machine, self.queue)
    }

    /// Fires `event`, or keeps it when the current state defers it; after a row fires, tries
    /// the kept events again.
    ///
    /// # Errors
    ///
    /// The machine's error when `event` is neither deferred nor accepted; the state is then
    /// unchanged and the kept events are not tried.
    pub fn fire(
        &mut self,
        event: M::Event,
        context: &mut M::Context,
    ) -> Result<Outcome<M>, M::Error> {
        if self.machine.defers(&event) {
            self.queue.push_back(event);
            return Ok(Outcome::Deferred);
        }
        let fired = self.machine.fire(&event, context)?;
        self.replay(context);
        Ok(Outcome::Fired(fired))
    }

    /// Tries the kept events in order until a pass fires none.
    fn replay(&mut self, context: &mut M::Context) {
        loop {
            let Some(position) = self.queue.iter().position(|e| !self.machine.defers(e)) else {
                return;
            };
            let Some(event) = self.queue.remove(position) else {
                return;
            };
            let outcome = self.machine.fire(&event, context);
            self.replayed.push(outcome);
        }
    }
}
