//! Orthogonal regions: several machines, each in its own state, that all react to every
//! event, as the regions of a UML composite state (or Boost.SML's several initial states).

use super::{Fired, StateMachine};

/// Machines run side by side as the orthogonal regions of one: each event goes to every
/// region, in order, and each reacts (or not) on its own. The regions share the event and
/// context types.
///
/// `Regions((a, b))` for two regions, up to four; `fire` returns each region's outcome, and
/// [`RegionsFired::any`] says whether any of them took the event.
///
/// # Example
///
/// ```
/// use patternkit::StateMachine;
/// use patternkit::state_machine::Regions;
///
/// enum Key {
///     Play,
///     Stop,
///     CapsLock,
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Key, initial = Stopped, transitions = [
///     Stopped + Play => Playing,
///     Playing + Stop => Stopped,
/// ])]
/// enum Transport {
///     Stopped,
///     Playing,
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = Key, initial = Lower, transitions = [
///     Lower + CapsLock => Upper,
///     Upper + CapsLock => Lower,
/// ])]
/// enum Case {
///     Lower,
///     Upper,
/// }
///
/// let mut keyboard = Regions::<(Transport, Case)>::initial();
/// let (transport, case) = keyboard.fire(&Key::Play, &mut ());
/// assert!(transport.is_ok() && case.is_err());
/// keyboard.fire(&Key::CapsLock, &mut ());
/// assert_eq!(keyboard.0, (Transport::Playing, Case::Upper));
/// assert!(keyboard.is_in("Playing") && keyboard.is_in("Upper"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Regions<T>(pub T);

/// Whether any region's outcome is a fired row.
pub trait RegionsFired {
    /// `true` when at least one region took the event.
    fn any(&self) -> bool;
}

macro_rules! regions {
    ($($region:ident $error:ident $index:tt),+) => {
        impl<First, $($region),+> Regions<(First, $($region),+)>
        where
            First: StateMachine,
            $($region: StateMachine<Event = First::Event, Context = First::Context>),+
        {
            /// Every region in its initial state.
            #[must_use]
            pub fn initial() -> Self {
                Self((First::initial(), $($region::initial()),+))
            }

            /// Starts every region, in order.
            pub fn start(&mut self, context: &mut First::Context) {
                self.0.0.start(context);
                $(self.0.$index.start(context);)+
            }

            /// Fires `event` in every region, in order; each region's outcome.
            pub fn fire(
                &mut self,
                event: &First::Event,
                context: &mut First::Context,
            ) -> (
                Result<Fired<First>, First::Error>,
                $(Result<Fired<$region>, $region::Error>),+
            ) {
                (
                    self.0.0.fire(event, context),
                    $(self.0.$index.fire(event, context)),+
                )
            }

            /// Whether some region is in the state or superstate called `name`.
            #[must_use]
            pub fn is_in(&self, name: &str) -> bool {
                self.0.0.is_in(name) $(|| self.0.$index.is_in(name))+
            }
        }

        impl<First, $($region),+, FirstError, $($error),+> RegionsFired
            for (Result<Fired<First>, FirstError>, $(Result<Fired<$region>, $error>),+)
        {
            fn any(&self) -> bool {
                self.0.is_ok() $(|| self.$index.is_ok())+
            }
        }
    };
}

regions!(B BError 1);
regions!(B BError 1, C CError 2);
regions!(B BError 1, C CError 2, D DError 3);
