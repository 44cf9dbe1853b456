//! A WebAssembly module with no operating system under it — a V8 isolate, as in Cloudflare
//! Workers — using patternkit without its `std` feature: a factory, a state machine, a
//! compile-time CQRS bus and a compile-time DI container. `run.mjs` calls the exports.
//!
//! Strings cross the boundary through the module's memory: the host asks [`alloc`] for room,
//! writes UTF-8 there, and passes the pointer and length; a string coming back is written to
//! [`OUT`] and its length returned.

#![no_std]

extern crate alloc;

mod heap;

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use patternkit::cqrs::{Bus, Command, handlers};
use patternkit::di::{Container, Each, Inject, Once};
use patternkit::{Factory, StateMachine};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Room for `len` bytes the host writes a string into.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    heap::room(len)
}

/// The string at `ptr..ptr + len`, which the host wrote there.
fn input(ptr: *const u8, len: usize) -> &'static str {
    // SAFETY: the host wrote `len` bytes of UTF-8 at `ptr`, which `alloc` handed out and
    // nothing else uses.
    let bytes = unsafe { core::slice::from_raw_parts(ptr, len) };
    core::str::from_utf8(bytes).unwrap_or("")
}

/// Where a string going back to the host is written; its length is the export's result.
#[unsafe(no_mangle)]
pub static mut OUT: [u8; 256] = [0; 256];

fn output(text: &str) -> usize {
    let len = text.len().min(256);
    // SAFETY: one thread (an isolate has no other); the host reads `OUT` only after the call.
    let out = unsafe { &mut *core::ptr::addr_of_mut!(OUT) };
    out[..len].copy_from_slice(&text.as_bytes()[..len]);
    len
}

// ---- Factory --------------------------------------------------------------------------------

#[derive(Factory, Debug, PartialEq)]
#[factory(rename_all = "kebab-case")]
enum Channel {
    Email { address: String },
    #[factory(alias = "text")]
    Sms(u64),
    PushNotification,
}

/// The kind's index in declaration order for a name, or -1.
#[unsafe(no_mangle)]
pub extern "C" fn channel_kind(ptr: *const u8, len: usize) -> i32 {
    match Channel::from_name(input(ptr, len)) {
        Ok(channel) => i32::try_from(channel.kind() as usize).unwrap_or(-1),
        Err(_) => -1,
    }
}

/// The lookup's error for a name, as text in `OUT`.
#[unsafe(no_mangle)]
pub extern "C" fn channel_error(ptr: *const u8, len: usize) -> usize {
    let name = input(ptr, len);
    match ChannelKind::from_name(name) {
        Ok(kind) => output(kind.name()),
        Err(error) => output(&error.with_given(name).to_string()),
    }
}

/// A factory of trait objects: the boxes come through patternkit, not `std`.
trait Price {
    fn cents(&self) -> u64;
}

#[derive(Default)]
struct Flat;

impl Price for Flat {
    fn cents(&self) -> u64 {
        500
    }
}

struct Discounted(u64);

impl Price for Discounted {
    fn cents(&self) -> u64 {
        500 - self.0
    }
}

#[derive(Factory)]
#[factory(product = dyn Price)]
enum Pricing {
    Flat(Flat),
    #[factory(with = || Discounted(120))]
    Discounted(Discounted),
}

/// The price in cents under the pricing with this name, or 0.
#[unsafe(no_mangle)]
pub extern "C" fn price(ptr: *const u8, len: usize) -> u64 {
    Pricing::from_name(input(ptr, len)).map_or(0, |pricing| pricing.into_product().cents())
}

// ---- State machine --------------------------------------------------------------------------

enum DoorEvent {
    Open,
    Close,
    Lock,
    Unlock,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = DoorEvent, initial = Closed, transitions = [
    Closed + Open => Opened,
    Opened + Close => Closed,
    Closed + Lock => Locked,
    Locked + Unlock => Closed,
])]
enum Door {
    Opened,
    Closed,
    Locked,
}

/// Runs the events spelt by the letters o, c, l, u; the final state's name in `OUT`, or the
/// rejection's message when one is refused.
#[unsafe(no_mangle)]
pub extern "C" fn door(ptr: *const u8, len: usize) -> usize {
    let mut door = Door::initial();
    for letter in input(ptr, len).chars() {
        let event = match letter {
            'o' => DoorEvent::Open,
            'c' => DoorEvent::Close,
            'l' => DoorEvent::Lock,
            _ => DoorEvent::Unlock,
        };
        if let Err(refused) = door.fire(&event) {
            return output(&refused.to_string());
        }
    }
    output(door.state_name())
}

/// The machine's Mermaid diagram in `OUT` (its first 256 bytes).
#[unsafe(no_mangle)]
pub extern "C" fn door_diagram() -> usize {
    output(Door::to_mermaid())
}

// ---- CQRS: the compile-time bus ---------------------------------------------------------------

#[derive(Command)]
#[command(output = u64)]
struct Add(u64, u64);

struct Calculator;

#[handlers]
impl Calculator {
    #[command]
    fn add(&self, Add(a, b): Add) -> Result<u64, core::convert::Infallible> {
        Ok(a + b)
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(Add)]
    calculator: Calculator,
}

/// Runs a future that never waits, as the isolate's host would drive it.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// `a + b`, sent through the bus.
#[unsafe(no_mangle)]
pub extern "C" fn bus_add(a: u64, b: u64) -> u64 {
    let bus = AppBus {
        calculator: Calculator,
    };
    now(bus.send(Add(a, b))).unwrap_or(0)
}

// ---- DI: the compile-time container -----------------------------------------------------------

#[derive(Inject, Default)]
struct Greeting;

impl Greeting {
    fn word(&self) -> &'static str {
        "hello"
    }
}

#[derive(Inject)]
struct Greeter {
    greeting: Arc<Greeting>,
}

#[derive(Container, Default)]
struct App {
    #[provide(Greeting, singleton)]
    greeting: Once<Greeting>,
    #[provide(Greeter, singleton)]
    greeter: Once<Greeter>,
    #[provide(Visit, transient)]
    visit: Each<Visit>,
}

/// A new one at every resolution.
#[derive(Inject)]
struct Visit {
    greeting: Arc<Greeting>,
}

/// A greeting for the name, built by the container, in `OUT`; the second resolution returns
/// the same singleton.
#[unsafe(no_mangle)]
pub extern "C" fn greet(ptr: *const u8, len: usize) -> usize {
    let app = App::default();
    let greeter: Arc<Greeter> = app.resolve();
    let again: Arc<Greeter> = app.resolve();
    if !Arc::ptr_eq(&greeter, &again) {
        return output("not a singleton");
    }
    let (first, second): (Arc<Visit>, Arc<Visit>) = (app.resolve(), app.resolve());
    if Arc::ptr_eq(&first, &second) || !Arc::ptr_eq(&first.greeting, &greeter.greeting) {
        return output("transients are not new, or do not share the singleton");
    }
    let mut text = String::from(greeter.greeting.word());
    text.push_str(", ");
    text.push_str(input(ptr, len));
    output(&text)
}
