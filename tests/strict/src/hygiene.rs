//! Every macro in a module without the prelude, beside items that shadow the prelude's names
//! and the crates' own (`core`, `std`, `alloc`): generated code names everything by an
//! absolute path, so it means what it meant nowhere else.

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
    Square(u8),
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

/// A singleton.
#[::pk::singleton(crate = ::pk)]
#[derive(Debug, ::core::default::Default)]
pub struct Settings {
    /// A setting.
    pub level: u8,
}

/// A command.
#[derive(Debug, ::pk::cqrs::Command)]
#[command(crate = ::pk, output = u8)]
pub struct Bump(pub u8);

/// A query.
#[derive(Debug, ::pk::cqrs::Query)]
#[query(crate = ::pk, output = u8)]
pub struct Level;

/// An event.
#[derive(Debug, ::pk::cqrs::Event)]
#[event(crate = ::pk)]
pub struct Bumped(pub u8);

/// Handles them.
#[derive(Debug, ::core::default::Default)]
pub struct Dial {
    level: ::std::sync::atomic::AtomicU8,
}

#[::pk::cqrs::handlers(crate = ::pk)]
impl Dial {
    #[command]
    fn bump(&self, command: Bump) -> ::core::result::Result<u8, ::core::convert::Infallible> {
        ::core::result::Result::Ok(
            self.level
                .fetch_add(command.0, ::std::sync::atomic::Ordering::Relaxed)
                .wrapping_add(command.0),
        )
    }

    #[query]
    async fn level(&self, _: Level) -> ::core::result::Result<u8, ::core::convert::Infallible> {
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

#[::pk::saga::saga(input = u8, crate = ::pk)]
impl Booking {
    #[step(compensate = release)]
    async fn hold(&self, input: &u8) -> ::core::result::Result<u8, Declined> {
        ::core::result::Result::Ok(*input)
    }

    async fn release(&self, hold: u8) -> ::core::result::Result<(), Declined> {
        let _ = hold;
        ::core::result::Result::Ok(())
    }

    #[step(pivot)]
    async fn confirm(&self, hold: u8) -> ::core::result::Result<(), Declined> {
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
pub fn run() -> (&'static str, u8, bool) {
    let mut switch = Switch::initial();
    let _ = switch.fire(&Turn::Flip);
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
        && Settings::instance().level == 0;
    (switch.state_name(), level, built)
}
