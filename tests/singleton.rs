//! `#[singleton]` at run time: racing threads, retries after errors and panics, cycles,
//! manual initialisation.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use patternkit::prelude::*;

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

fn panics_with(f: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    panic_message(&*payload)
}

static RACE_INITS: AtomicUsize = AtomicUsize::new(0);

#[singleton(init = Raced::new)]
#[derive(Debug)]
struct Raced {
    serial: usize,
}

impl Raced {
    fn new() -> Self {
        // Widen the window in which other threads arrive during initialisation.
        thread::sleep(std::time::Duration::from_millis(20));
        Raced {
            serial: RACE_INITS.fetch_add(1, Ordering::SeqCst),
        }
    }
}

#[test]
fn racing_threads_initialise_exactly_once() {
    const THREADS: usize = 32;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                std::ptr::from_ref(Raced::instance()).addr()
            })
        })
        .collect();
    let addresses: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(RACE_INITS.load(Ordering::SeqCst), 1);
    assert!(addresses.iter().all(|&a| a == addresses[0]));
    assert_eq!(Raced::instance().serial, 0);
}

#[singleton]
#[derive(Debug, Default, PartialEq)]
struct Plain {
    value: u32,
}

#[test]
fn get_never_initialises() {
    assert!(Plain::get().is_none());
    assert!(!Plain::is_initialized());
    assert!(Plain::get().is_none());
    let instance = Plain::instance();
    assert_eq!(instance, &Plain { value: 0 });
    assert!(Plain::is_initialized());
    assert!(std::ptr::eq(Plain::get().unwrap(), instance));
}

static FLAKY_READY: AtomicBool = AtomicBool::new(false);
static FLAKY_CALLS: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug, PartialEq)]
enum FlakyError {
    NotYet(usize),
}

impl std::fmt::Display for FlakyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for FlakyError {}

#[singleton(try_init = Flaky::connect, error = FlakyError)]
#[derive(Debug)]
struct Flaky {
    attempt: usize,
}

impl Flaky {
    fn connect() -> Result<Self, FlakyError> {
        let attempt = FLAKY_CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        if FLAKY_READY.load(Ordering::SeqCst) {
            Ok(Flaky { attempt })
        } else {
            Err(FlakyError::NotYet(attempt))
        }
    }
}

#[test]
fn failed_init_is_not_cached_and_is_retried() {
    assert_eq!(Flaky::try_instance().unwrap_err(), FlakyError::NotYet(1));
    assert!(!Flaky::is_initialized());
    let message = panics_with(|| {
        let _ = Flaky::instance();
    });
    assert_eq!(
        message,
        "singleton `Flaky` could not be initialised: NotYet(2)"
    );
    FLAKY_READY.store(true, Ordering::SeqCst);
    assert_eq!(Flaky::try_instance().unwrap().attempt, 3);
    assert_eq!(Flaky::instance().attempt, 3);
    assert_eq!(FLAKY_CALLS.load(Ordering::SeqCst), 3);
}

static BOXED_READY: AtomicBool = AtomicBool::new(false);

#[singleton(try_init = Boxed::load)]
#[derive(Debug)]
struct Boxed;

impl Boxed {
    fn load() -> Result<Self, String> {
        if BOXED_READY.load(Ordering::SeqCst) {
            Ok(Boxed)
        } else {
            Err("config file missing".to_owned())
        }
    }
}

#[test]
fn error_without_a_named_type_is_boxed() {
    let error = Boxed::try_instance().unwrap_err();
    assert_eq!(error.to_string(), "config file missing");
    BOXED_READY.store(true, Ordering::SeqCst);
    assert!(Boxed::try_instance().is_ok());
}

static PANICKY_CALLS: AtomicUsize = AtomicUsize::new(0);

#[singleton(init = Panicky::new)]
#[derive(Debug)]
struct Panicky {
    calls: usize,
}

impl Panicky {
    fn new() -> Self {
        let calls = PANICKY_CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(calls > 1, "first attempt fails");
        Panicky { calls }
    }
}

#[test]
fn panicking_init_is_retried_without_poisoning() {
    let message = panics_with(|| {
        let _ = Panicky::instance();
    });
    assert_eq!(message, "first attempt fails");
    assert!(!Panicky::is_initialized());
    assert_eq!(Panicky::instance().calls, 2);
    assert_eq!(Panicky::instance().calls, 2);
}

#[singleton(init = Left::new)]
struct Left;

impl Left {
    fn new() -> Self {
        let _ = Right::instance();
        Left
    }
}

#[singleton(init = Right::new)]
struct Right;

impl Right {
    fn new() -> Self {
        let _ = Left::instance();
        Right
    }
}

#[test]
fn two_type_cycle_panics_naming_both() {
    let message = panics_with(|| {
        let _ = Left::instance();
    });
    assert!(message.contains("Left -> Right -> Left"), "{message}");
    assert!(!Left::is_initialized());
    assert!(!Right::is_initialized());
    // Nothing is left claimed: the other direction reports its own cycle, it does not hang.
    let message = panics_with(|| {
        let _ = Right::instance();
    });
    assert!(message.contains("Right -> Left -> Right"), "{message}");
}

#[singleton(init = Selfish::new)]
struct Selfish;

impl Selfish {
    fn new() -> Self {
        let _ = Selfish::instance();
        Selfish
    }
}

#[test]
fn self_cycle_panics() {
    let message = panics_with(|| {
        let _ = Selfish::instance();
    });
    assert!(message.contains("Selfish -> Selfish"), "{message}");
}

static CROSS_BARRIER: Barrier = Barrier::new(2);
static NORTH_STARTED: AtomicBool = AtomicBool::new(false);
static SOUTH_STARTED: AtomicBool = AtomicBool::new(false);

/// Both initialisers are under way before either asks for the other; later attempts (after
/// the cycle is reported) go straight on.
fn meet_once(started: &AtomicBool) {
    if !started.swap(true, Ordering::SeqCst) {
        CROSS_BARRIER.wait();
    }
}

#[singleton(init = North::new)]
struct North;

impl North {
    fn new() -> Self {
        meet_once(&NORTH_STARTED);
        let _ = South::instance();
        North
    }
}

#[singleton(init = South::new)]
struct South;

impl South {
    fn new() -> Self {
        meet_once(&SOUTH_STARTED);
        let _ = North::instance();
        South
    }
}

#[test]
fn cycle_across_threads_panics_instead_of_deadlocking() {
    let north = thread::spawn(|| {
        let _ = North::instance();
    });
    let south = thread::spawn(|| {
        let _ = South::instance();
    });
    for handle in [north, south] {
        let message = panic_message(&*handle.join().expect_err("both sides see the cycle"));
        assert!(
            message.contains("North -> South -> North")
                || message.contains("South -> North -> South"),
            "{message}"
        );
    }
}

#[singleton(manual)]
#[derive(Debug, PartialEq)]
enum Environment {
    Staging,
    Production,
}

#[test]
fn manual_singleton_needs_init_first() {
    assert!(Environment::get().is_none());
    let message = panics_with(|| {
        let _ = Environment::instance();
    });
    assert!(
        message.contains("call `Environment::init(value)` first"),
        "{message}"
    );
    assert_eq!(
        Environment::init(Environment::Staging),
        Ok(&Environment::Staging)
    );
    assert_eq!(
        Environment::init(Environment::Production),
        Err(Environment::Production)
    );
    assert_eq!(Environment::instance(), &Environment::Staging);
}

fn through_trait<T: Singleton>() -> (bool, *const T) {
    let before = T::is_initialized();
    (before, std::ptr::from_ref(T::instance()))
}

#[singleton]
#[derive(Default)]
struct Generic;

#[test]
fn trait_gives_generic_access() {
    let (before, ptr) = through_trait::<Generic>();
    assert!(!before);
    assert!(std::ptr::eq(ptr, Generic::instance()));
    assert!(<Generic as Singleton>::is_initialized());
    assert!(<Generic as Singleton>::get().is_some());
}

mod visibility {
    use patternkit::singleton;

    #[singleton]
    #[derive(Default)]
    pub struct Public(pub u8);

    #[singleton]
    #[derive(Default)]
    pub(crate) struct CrateOnly(pub u8);
}

#[test]
fn functions_follow_the_type_visibility() {
    assert_eq!(visibility::Public::instance().0, 0);
    assert_eq!(visibility::CrateOnly::instance().0, 0);
}

mod renamed_crate {
    // A local module of the same name must not capture the generated paths.
    #[allow(dead_code)]
    mod patternkit {}

    extern crate patternkit as pk;

    #[pk::singleton]
    #[derive(Default)]
    pub struct ThroughDefaultPath;

    #[pk::singleton(crate = pk)]
    #[derive(Default)]
    pub struct ThroughAlias;

    #[pk::singleton(crate = ::patternkit)]
    #[derive(Default)]
    pub enum Level {
        #[default]
        Info,
    }
}

#[test]
fn crate_path_can_be_renamed_and_is_not_shadowed() {
    assert!(std::ptr::eq(
        renamed_crate::ThroughDefaultPath::instance(),
        renamed_crate::ThroughDefaultPath::instance()
    ));
    let _ = renamed_crate::ThroughAlias::instance();
    assert!(renamed_crate::ThroughAlias::is_initialized());
    assert!(matches!(
        renamed_crate::Level::instance(),
        renamed_crate::Level::Info
    ));
}

#[derive(Debug, PartialEq)]
struct NoPort;

#[singleton(try_init = || -> Result<Port, NoPort> { Err(NoPort) })]
#[derive(Debug)]
struct Port;

#[test]
fn closure_with_a_spelled_out_result_returns_its_error_type() {
    // `NoPort` itself, not a boxed error: the closure names it.
    let error: NoPort = Port::try_instance().unwrap_err();
    assert_eq!(error, NoPort);
}

#[singleton(manual)]
#[derive(Debug, PartialEq)]
struct ListenPort(u16);

#[test]
fn wait_blocks_until_a_manual_singleton_is_given_its_value() {
    let waiters: Vec<_> = (0..4)
        .map(|_| thread::spawn(|| ListenPort::wait().0))
        .collect();
    thread::sleep(std::time::Duration::from_millis(50));
    assert!(
        waiters.iter().all(|w| !w.is_finished()),
        "wait() must not create it"
    );
    assert_eq!(ListenPort::init(ListenPort(8080)), Ok(&ListenPort(8080)));
    for waiter in waiters {
        assert_eq!(waiter.join().unwrap(), 8080);
    }
    assert_eq!(<ListenPort as Singleton>::wait(), &ListenPort(8080));
}

static SLOW_INITS: AtomicUsize = AtomicUsize::new(0);

#[singleton(init = Slow::new)]
struct Slow(usize);

impl Slow {
    fn new() -> Self {
        thread::sleep(std::time::Duration::from_millis(30));
        Slow(SLOW_INITS.fetch_add(1, Ordering::SeqCst))
    }
}

#[test]
fn wait_returns_what_another_thread_creates_and_creates_nothing_itself() {
    let waiter = thread::spawn(|| std::ptr::from_ref(Slow::wait()).addr());
    thread::sleep(std::time::Duration::from_millis(30));
    assert!(!Slow::is_initialized());
    let created = Slow::instance();
    assert_eq!(waiter.join().unwrap(), std::ptr::from_ref(created).addr());
    assert_eq!(created.0, 0);
    assert_eq!(SLOW_INITS.load(Ordering::SeqCst), 1);
}
