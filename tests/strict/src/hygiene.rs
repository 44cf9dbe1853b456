//! Every macro in a module without the prelude, beside items that shadow the prelude's names,
//! the crates' own (`core`, `std`, `alloc`) and the primitive types (`str`, `bool`, `usize`,
//! ...): generated code names everything by an absolute path, so it means here what it means
//! everywhere else.

#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types, clippy::unused_async)]

/// Shadows `core`.
pub mod core {}
/// Shadows `std`.
pub mod std {}
/// Shadows `alloc`.
pub mod alloc {}

/// Shadows `Result`.
pub type Result<T> = ::core::result::Result<T, Declined>;
/// Shadows `Option`, `Some` and `None`.
pub enum Option {
    /// Shadows `Some`.
    Some,
    /// Shadows `None`.
    None,
}
/// Shadows `Ok`.
pub struct Ok;
/// Shadows `Err`.
pub struct Err;
/// Shadows `Box`.
pub struct Box;
/// Shadows `Vec`.
pub struct Vec;
/// Shadows `String`.
pub struct String;
/// Shadows `Default`.
pub trait Default {}
/// Shadows `Clone`.
pub trait Clone {}
/// Shadows `Send`.
pub trait Send {}
/// Shadows `Sync`.
pub trait Sync {}
/// Shadows `From`.
pub trait From {}
/// Shadows `Into`.
pub trait Into {}
/// Shadows `Iterator`.
pub trait Iterator {}
/// Shadows `ToString`.
pub trait ToString {}
/// Shadows `Drop`.
pub trait Drop {}
/// Shadows `Fn`.
pub trait Fn {}

/// Shadows `str`.
pub struct str;
/// Shadows `bool`.
pub struct bool;
/// Shadows `char`.
pub struct char;
/// Shadows `usize`.
pub struct usize;
/// Shadows `u8`.
pub struct u8;
/// Shadows `u16`.
pub struct u16;
/// Shadows `u32`.
pub struct u32;
/// Shadows `u64`.
pub struct u64;
/// Shadows `i32`.
pub struct i32;

/// Why a step failed.
#[derive(Debug)]
pub struct Declined;

impl ::core::fmt::Display for Declined {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.write_str("declined")
    }
}

/// A factory.
#[derive(Debug, ::pk::Factory)]
#[factory(crate = ::pk)]
pub enum Shape {
    /// A circle.
    Circle,
    /// A square of a size.
    Square(::core::primitive::u8),
}

/// A state machine's events.
#[derive(Debug)]
pub enum Turn {
    /// Flips the switch.
    Flip,
}

/// A state machine.
#[derive(Debug, ::pk::StateMachine)]
#[state_machine(crate = ::pk, event = Turn, initial = Off, transitions = [
    Off + Flip => On,
    On + Flip => Off,
])]
pub enum Switch {
    /// Off.
    Off,
    /// On.
    On,
}

/// What guards read and hooks count.
#[derive(Debug, ::core::default::Default)]
pub struct Tally {
    /// Hooks run.
    pub hooks: ::core::primitive::u32,
}

fn allowed(_: &Valve, _: &Turn, tally: &Tally) -> ::core::primitive::bool {
    tally.hooks < 100
}

fn count(_: &Turn, tally: &mut Tally) {
    tally.hooks += 1;
}

fn retry(tries: &mut ::core::primitive::u8, _: &Turn, tally: &mut Tally) {
    *tries += 1;
    tally.hooks += 1;
}

fn entered(tally: &mut Tally) {
    tally.hooks += 1;
}

/// A machine with a context, a guard, an action, hooks, a superstate and a state with data.
#[derive(Debug, ::pk::StateMachine)]
#[state_machine(
    crate = ::pk,
    event = Turn,
    context = Tally,
    initial = Shut,
    superstate(Closed, initial = Shut, states = [Shut, Stuck], entry = entered),
    transitions = [
        Shut + Flip => Open if allowed then count,
        Open + Flip => Stuck,
        Stuck + Flip => _ then retry,
    ],
)]
pub enum Valve {
    /// Shut.
    Shut,
    /// Open.
    #[state(entry = entered, exit = entered)]
    Open,
    /// Stuck, counting tries.
    Stuck {
        /// Tries.
        tries: ::core::primitive::u8,
    },
}

/// A machine that fires through its table.
#[derive(Debug, ::pk::StateMachine)]
#[state_machine(crate = ::pk, event = Turn, initial = Low, dispatch = table, transitions = [
    Low + Flip => High,
    High + Flip => Low,
])]
pub enum Level2 {
    /// Low.
    Low,
    /// High.
    High,
}

/// A fieldless factory that is its own kind, displayed by format strings.
#[derive(Debug, ::pk::Factory)]
#[factory(crate = ::pk, kind = Self, display)]
pub enum Tone {
    /// Loud.
    #[factory(format = "LOUD")]
    Loud,
    /// Quiet.
    Quiet,
}

/// A singleton that may fail to start.
#[::pk::singleton(crate = ::pk, try_init = Port::parse, error = ::core::num::ParseIntError)]
#[derive(Debug)]
pub struct Port(pub ::core::primitive::u16);

impl Port {
    fn parse() -> ::core::result::Result<Self, ::core::num::ParseIntError> {
        "8080".parse::<::core::primitive::u16>().map(Port)
    }
}

/// A singleton.
#[::pk::singleton(crate = ::pk)]
#[derive(Debug, ::core::default::Default)]
pub struct Settings {
    /// A setting.
    pub level: ::core::primitive::u8,
}

/// A command.
#[derive(Debug, ::pk::cqrs::Command)]
#[command(crate = ::pk, output = ::core::primitive::u8)]
pub struct Bump(pub ::core::primitive::u8);

/// A query.
#[derive(Debug, ::pk::cqrs::Query)]
#[query(crate = ::pk, output = ::core::primitive::u8)]
pub struct Level;

/// An event.
#[derive(Debug, ::pk::cqrs::Event)]
#[event(crate = ::pk)]
pub struct Bumped(pub ::core::primitive::u8);

/// Handles them.
#[derive(Debug, ::core::default::Default)]
pub struct Dial {
    level: ::std::sync::atomic::AtomicU8,
}

#[::pk::cqrs::handlers(crate = ::pk)]
impl Dial {
    #[command]
    fn bump(
        &self,
        command: Bump,
    ) -> ::core::result::Result<::core::primitive::u8, ::core::convert::Infallible> {
        ::core::result::Result::Ok(
            self.level
                .fetch_add(command.0, ::std::sync::atomic::Ordering::Relaxed)
                .wrapping_add(command.0),
        )
    }

    #[query]
    async fn level(
        &self,
        _: Level,
    ) -> ::core::result::Result<::core::primitive::u8, ::core::convert::Infallible> {
        ::core::result::Result::Ok(self.level.load(::std::sync::atomic::Ordering::Relaxed))
    }

    #[event]
    fn bumped(&self, _: &Bumped) {}
}

/// A bus.
#[derive(::pk::cqrs::Bus, ::core::default::Default)]
#[bus(crate = ::pk)]
pub struct DialBus {
    /// The handler.
    #[handles(Bump, Level)]
    #[subscribes(Bumped)]
    pub dial: Dial,
}

/// Injected.
#[derive(Debug, ::core::default::Default, ::pk::di::Inject)]
#[inject(crate = ::pk)]
pub struct Clock;

/// Injected, with a dependency.
#[derive(::pk::di::Inject)]
#[inject(crate = ::pk)]
pub struct Alarm {
    /// Its clock.
    pub clock: ::std::sync::Arc<Clock>,
}

/// A compile-time container.
#[derive(::pk::di::Container, ::core::default::Default)]
#[container(crate = ::pk)]
pub struct Wiring {
    #[provide(Clock, singleton)]
    clock: ::pk::di::Once<Clock>,
    #[provide(Alarm, transient)]
    alarm: ::pk::di::Each<Alarm>,
}

/// A saga.
#[derive(Debug, ::core::default::Default)]
pub struct Booking;

#[::pk::saga::saga(input = ::core::primitive::u8, crate = ::pk)]
impl Booking {
    #[step(compensate = release)]
    async fn hold(
        &self,
        input: &::core::primitive::u8,
    ) -> ::core::result::Result<::core::primitive::u8, Declined> {
        ::core::result::Result::Ok(*input)
    }

    async fn release(&self, hold: ::core::primitive::u8) -> ::core::result::Result<(), Declined> {
        let _ = hold;
        ::core::result::Result::Ok(())
    }

    #[step(pivot)]
    async fn confirm(&self, hold: ::core::primitive::u8) -> ::core::result::Result<(), Declined> {
        if hold == 0 {
            ::core::result::Result::Err(Declined)
        } else {
            ::core::result::Result::Ok(())
        }
    }
}

/// Uses each of them once: the switch's state after a flip, the bus's level after a bump, and
/// whether the container and the factory built what they were asked for.
#[must_use]
pub fn run() -> (
    &'static ::core::primitive::str,
    ::core::primitive::u8,
    ::core::primitive::bool,
) {
    let mut switch = Switch::initial();
    let _ = switch.fire(&Turn::Flip);
    let mut tally = <Tally as ::core::default::Default>::default();
    let mut valve = Valve::initial();
    valve.start(&mut tally);
    let _ = valve.fire(&Turn::Flip, &mut tally);
    let _ = valve.fire(&Turn::Flip, &mut tally);
    let _ = valve.fire(&Turn::Flip, &mut tally);
    let mut table_machine = Level2::initial();
    let _ = table_machine.fire(&Turn::Flip);
    let bus = <DialBus as ::core::default::Default>::default();
    let level = ::pk::cqrs::block_on(async {
        let _ = bus.send(Bump(2)).await;
        bus.ask(Level).await.unwrap_or(0)
    });
    let wiring = <Wiring as ::core::default::Default>::default();
    let alarm = wiring.resolve::<Alarm>();
    let built = ::core::matches!(
        Shape::from_name("square"),
        ::core::result::Result::Ok(Shape::Square(0))
    ) && ::std::sync::Arc::ptr_eq(&alarm.clock, &wiring.resolve::<Clock>())
        && Settings::instance().level == 0
        && valve.state_name() == "Stuck"
        && tally.hooks == 6
        && table_machine.state_name() == "High"
        && ::std::string::ToString::to_string(&Tone::Loud) == "LOUD"
        && ::core::matches!(Port::try_instance(), ::core::result::Result::Ok(Port(8080)));
    (switch.state_name(), level, built)
}
