//! History: a superstate declared with `history = shallow` or `history = deep` is re-entered
//! where the machine left it rather than at its initial state, as in UML statecharts and
//! Boost.SML. The machine is the state enum alone, so what it remembers is kept beside it, in
//! the context: a [`History`] the context holds (or is).

use alloc::vec::Vec;
use core::marker::PhantomData;

/// What a machine remembers of its superstates with history: for each, the state it was in
/// when it last left it.
///
/// The context keeps it: either the context *is* a `History<Machine>`, or it holds one and
/// implements `AsMut<History<Machine>>`. Starts empty: a superstate never left is entered at
/// its initial state.
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
/// use patternkit::state_machine::History;
///
/// enum Ev {
///     Next,
///     Pause,
///     Resume,
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Ev, context = History<Player>, initial = Song1, transitions = [
///     Song1   + Next   => Song2,
///     Song2   + Next   => Song3,
///     Song3   + Next   => Song1,
///     Playing + Pause  => Paused,
///     Paused  + Resume => Playing,
/// ], superstate(Playing, states = [Song1, Song2, Song3], history = shallow))]
/// enum Player {
///     Song1,
///     Song2,
///     Song3,
///     Paused,
/// }
///
/// let mut history = History::new();
/// let mut player = Player::initial();
/// player.fire(&Ev::Next, &mut history)?;
/// player.fire(&Ev::Pause, &mut history)?;
/// player.fire(&Ev::Resume, &mut history)?;
/// assert_eq!(player, Player::Song2); // where it was, not `Song1`
/// assert!(player.fire(&Ev::Resume, &mut history).is_err()); // not paused: rejected
/// # Ok::<(), patternkit::InvalidTransition<Player>>(())
/// ```
pub struct History<M> {
    /// By superstate index, the index of the state last active in it; `u16::MAX` for none.
    last: Vec<u16>,
    machine: PhantomData<fn() -> M>,
}

impl<M> History<M> {
    /// Nothing remembered yet.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            last: Vec::new(),
            machine: PhantomData,
        }
    }

    /// The state (an index into `STATES`) the machine was in when it last left the
    /// superstate at `superstate` (an index into `SUPERSTATES`), if it ever did.
    #[must_use]
    pub fn last_state(&self, superstate: usize) -> Option<usize> {
        self.last
            .get(superstate)
            .filter(|&&state| state != u16::MAX)
            .map(|&state| usize::from(state))
    }

    /// Forgets everything: every superstate is entered at its initial state again.
    pub fn clear(&mut self) {
        self.last.clear();
    }

    /// Remembers that the machine left `superstate` from `state`. Generated code calls it.
    #[doc(hidden)]
    #[inline]
    pub fn remember(&mut self, superstate: u16, state: u16) {
        let index = usize::from(superstate);
        if self.last.len() <= index {
            self.last.resize(index + 1, u16::MAX);
        }
        self.last[index] = state;
    }

    /// The state `superstate` was left from, as `remember` was told. Generated code calls it.
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn recall(&self, superstate: u16) -> Option<u16> {
        self.last
            .get(usize::from(superstate))
            .copied()
            .filter(|&state| state != u16::MAX)
    }
}

impl<M> Default for History<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M> Clone for History<M> {
    fn clone(&self) -> Self {
        Self {
            last: self.last.clone(),
            machine: PhantomData,
        }
    }
}

impl<M> PartialEq for History<M> {
    fn eq(&self, other: &Self) -> bool {
        self.last == other.last
    }
}

impl<M> Eq for History<M> {}

impl<M> core::fmt::Debug for History<M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("History").field("last", &self.last).finish()
    }
}

impl<M> AsMut<History<M>> for History<M> {
    fn as_mut(&mut self) -> &mut History<M> {
        self
    }
}

/// A context that keeps a machine's [`History`]: implemented for every `AsMut<History<M>>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` keeps no `History<{M}>`, which a superstate with `history` needs",
    label = "the machine's context",
    note = "make the context a `patternkit::state_machine::History<{M}>`, or give it one as a \
            field and implement `AsMut<History<{M}>>` for it"
)]
pub trait KeepsHistory<M> {
    /// The history kept.
    fn history(&mut self) -> &mut History<M>;
}

impl<M, T: AsMut<History<M>> + ?Sized> KeepsHistory<M> for T {
    #[inline]
    fn history(&mut self) -> &mut History<M> {
        self.as_mut()
    }
}
