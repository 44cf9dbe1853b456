//! The compile-time container: resolution by direct calls, singletons created once, and the
//! same `#[derive(Inject)]` types as the runtime container.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use patternkit::di::{Container, Each, Inject, Once};

trait Logger: Send + Sync {
    fn log(&self, line: &str);
    fn lines(&self) -> Vec<String>;
}

static LOGGERS: AtomicUsize = AtomicUsize::new(0);
/// Held by the tests that create loggers, so the counting test counts only its own.
static SERIAL: Mutex<()> = Mutex::new(());

#[derive(Inject)]
struct MemoryLogger {
    #[inject(with = new_lines)]
    lines: Mutex<Vec<String>>,
}

fn new_lines() -> Mutex<Vec<String>> {
    LOGGERS.fetch_add(1, Ordering::SeqCst);
    Mutex::new(Vec::new())
}

impl Logger for MemoryLogger {
    fn log(&self, line: &str) {
        self.lines.lock().unwrap().push(line.to_owned());
    }
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

#[derive(Inject)]
struct UserRepo {
    logger: Arc<dyn Logger>,
}

#[derive(Inject)]
struct Mailer {
    logger: Arc<dyn Logger>,
}

#[derive(Inject)]
struct UserService {
    repo: Arc<UserRepo>,
    mailer: Mailer,
}

#[derive(Container, Default)]
struct AppContainer {
    #[provide(dyn Logger, singleton)]
    logger: Once<MemoryLogger>,
    #[provide(UserRepo, transient)]
    repo: Each<UserRepo>,
    #[provide(UserService)]
    service: Each<UserService>,
}

#[test]
fn resolves_a_three_level_graph_by_direct_calls() {
    let _serial = SERIAL.lock().unwrap();
    let before = LOGGERS.load(Ordering::SeqCst);
    let container = AppContainer::default();
    let service = container.resolve::<UserService>();
    service.repo.logger.log("saved");
    service.mailer.logger.log("mailed");
    let again = container.resolve::<UserService>();
    assert!(
        !Arc::ptr_eq(&service, &again),
        "transient: a new one each time"
    );
    assert!(
        Arc::ptr_eq(&service.repo.logger, &again.mailer.logger),
        "singleton: one logger"
    );
    assert_eq!(
        container.resolve::<dyn Logger>().lines(),
        ["saved", "mailed"]
    );
    assert_eq!(LOGGERS.load(Ordering::SeqCst) - before, 1);
}

#[patternkit::singleton]
#[derive(Default)]
struct Config {
    retries: u8,
}

#[derive(Inject)]
struct Client {
    config: &'static Config,
    logger: Arc<dyn Logger>,
}

#[derive(Container, Default)]
struct ClientContainer {
    #[provide(dyn Logger, singleton)]
    logger: Once<MemoryLogger>,
    #[provide(Client, transient)]
    client: Each<Client>,
}

#[test]
fn a_singleton_is_provided_to_both_containers() {
    let _serial = SERIAL.lock().unwrap();
    let compiled = ClientContainer::default().resolve::<Client>();
    let runtime = patternkit::di::Container::builder()
        .bind::<dyn Logger, MemoryLogger>(patternkit::di::Lifetime::Singleton, |l| l)
        .transient::<Client>()
        .build()
        .unwrap()
        .resolve::<Client>()
        .unwrap();
    assert!(std::ptr::eq(compiled.config, runtime.config));
    assert!(std::ptr::eq(compiled.config, Config::instance()));
    assert_eq!(runtime.config.retries, 0);
    compiled.logger.log("compiled");
    runtime.logger.log("runtime");
}

/// A container written by hand, whose two singletons need each other: the compiler cannot see
/// the cycle, so the first `provide` reports it instead of blocking forever.
struct HandWritten {
    ping: Once<Ping>,
    pong: Once<Pong>,
}

struct Ping(#[allow(dead_code)] Arc<Pong>);
struct Pong(#[allow(dead_code)] Arc<Ping>);

impl patternkit::di::Provides<Ping> for HandWritten {
    fn provide(&self) -> Arc<Ping> {
        self.ping.get_or_init(|| Ping(self.provide()))
    }
}

impl patternkit::di::Provides<Pong> for HandWritten {
    fn provide(&self) -> Arc<Pong> {
        self.pong.get_or_init(|| Pong(self.provide()))
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn a_cycle_through_hand_written_providers_is_reported_not_a_hang() {
    let container = Arc::new(HandWritten {
        ping: Once::default(),
        pong: Once::default(),
    });
    let (sender, receiver) = std::sync::mpsc::channel();
    let shared = Arc::clone(&container);
    // A detached thread, so that a hang fails this test instead of blocking it.
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Arc<Ping> = patternkit::di::Provides::provide(&*shared);
        }));
        let _ = sender.send(outcome.map_err(|payload| panic_message(&*payload)));
    });
    let outcome = receiver
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("resolving a cycle hung");
    let message = outcome.unwrap_err();
    assert!(
        message.contains("dependency cycle")
            && message.contains("Ping -> ")
            && message.contains("Pong -> "),
        "{message}"
    );
    // Nothing was stored: the next call reports the cycle again rather than a half-built value.
    assert_eq!(format!("{:?}", container.ping), "Once(not yet)");
}

/// Two threads starting the cycle from opposite ends: each holds one singleton and wants the
/// other's. Neither waits forever.
#[test]
fn a_cycle_across_threads_is_reported_not_a_deadlock() {
    for _ in 0..50 {
        let container = HandWritten {
            ping: Once::default(),
            pong: Once::default(),
        };
        let (first_end, second_end) = std::thread::scope(|scope| {
            let first = scope.spawn(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let _: Arc<Ping> = patternkit::di::Provides::provide(&container);
                }))
            });
            let second = scope.spawn(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let _: Arc<Pong> = patternkit::di::Provides::provide(&container);
                }))
            });
            (first.join().unwrap(), second.join().unwrap())
        });
        assert!(first_end.is_err() && second_end.is_err());
    }
}

/// A generic service with a default type, a const parameter and a `where` clause: the
/// compile-time impl declares them as an impl must (no defaults) beside its container's.
#[derive(Inject)]
struct Batches<T = u8, const N: usize = 4>
where
    T: Default + Send + Sync + 'static,
{
    logger: Arc<dyn Logger>,
    #[inject(default)]
    item: std::marker::PhantomData<[T; N]>,
}

#[derive(Container, Default)]
struct BatchContainer {
    #[provide(dyn Logger, singleton)]
    logger: Once<MemoryLogger>,
    #[provide(Batches, transient)]
    small: Each<Batches>,
    #[provide(Batches<u16, 8>, transient)]
    wide: Each<Batches<u16, 8>>,
}

#[test]
fn a_generic_service_with_defaults_is_assembled_for_each_instance() {
    let _serial = SERIAL.lock().unwrap();
    let container = BatchContainer::default();
    let small = container.resolve::<Batches>();
    let wide = container.resolve::<Batches<u16, 8>>();
    small.logger.log("small");
    wide.logger.log("wide");
    assert_eq!(small.logger.lines(), ["small", "wide"]);
    assert_eq!(std::mem::size_of_val(&wide.item), 0);
}
