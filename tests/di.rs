//! The runtime container: lifetimes, the whole-graph checks of `build`, typed resolve errors,
//! and many threads resolving at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use patternkit::di::{BuildError, Container, Inject, Lifetime, ResolveError};
use patternkit::singleton;

trait Logger: Send + Sync {
    fn log(&self, line: &str);
    fn lines(&self) -> Vec<String>;
}

static CONSOLE_LOGGERS: AtomicUsize = AtomicUsize::new(0);
/// Held by every test that creates a `ConsoleLogger`, so the race test counts only its own.
static RACE: Mutex<()> = Mutex::new(());

struct ConsoleLogger {
    lines: Mutex<Vec<String>>,
}

impl Inject for ConsoleLogger {
    const NAME: &'static str = "ConsoleLogger";
    const DEPENDENCIES: &'static [patternkit::di::Dependency] = &[];

    fn inject(_: &dyn patternkit::di::Resolver) -> Result<Self, ResolveError> {
        CONSOLE_LOGGERS.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(10));
        Ok(ConsoleLogger {
            lines: Mutex::new(Vec::new()),
        })
    }
}

impl Logger for ConsoleLogger {
    fn log(&self, line: &str) {
        self.lines.lock().unwrap().push(line.to_owned());
    }
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

#[singleton]
#[derive(Default)]
struct Settings {
    greeting: &'static str,
}

#[derive(Inject)]
struct UserRepo {
    logger: Arc<dyn Logger>,
}

#[derive(Inject)]
struct EmailService {
    logger: Arc<dyn Logger>,
    settings: &'static Settings,
}

#[derive(Inject)]
struct UserService {
    repo: Arc<UserRepo>,
    mail: EmailService,
    #[inject(default)]
    created: Vec<String>,
    #[inject(with = default_domain)]
    domain: String,
}

fn default_domain() -> String {
    "example.test".to_owned()
}

fn container() -> Container {
    Container::builder()
        .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |l| l)
        .transient::<UserRepo>()
        .transient::<UserService>()
        .build()
        .unwrap()
}

#[test]
fn resolves_a_three_level_graph() {
    let _guard = RACE.lock().unwrap();
    let container = container();
    let service = container.resolve::<UserService>().unwrap();
    service.repo.logger.log("saved");
    service.mail.logger.log("mailed");
    assert_eq!(service.mail.settings.greeting, "");
    assert!(service.created.is_empty());
    assert_eq!(service.domain, "example.test");
    // One shared logger behind both.
    assert!(Arc::ptr_eq(&service.repo.logger, &service.mail.logger));
    assert_eq!(service.repo.logger.lines(), ["saved", "mailed"]);
    // Transients are new each time.
    let other = container.resolve::<UserService>().unwrap();
    assert!(!Arc::ptr_eq(&service.repo, &other.repo));
}

#[test]
fn a_singleton_is_created_once_by_racing_threads() {
    let container = Arc::new(
        Container::builder()
            .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |l| l)
            .build()
            .unwrap(),
    );
    // Only this test resolves through this container; others may create their own loggers.
    let _guard = RACE.lock().unwrap();
    let before = CONSOLE_LOGGERS.load(Ordering::SeqCst);
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (container, barrier) = (Arc::clone(&container), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let logger = container.resolve::<dyn Logger>().unwrap();
                Arc::as_ptr(&logger).cast::<()>() as usize
            })
        })
        .collect();
    let addresses: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(addresses.iter().all(|&a| a == addresses[0]));
    assert_eq!(CONSOLE_LOGGERS.load(Ordering::SeqCst) - before, 1);
}

#[derive(Inject)]
struct Request {
    id: Arc<RequestId>,
}

#[derive(Inject)]
struct RequestId {
    #[inject(with = next_id)]
    value: usize,
}

fn next_id() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

#[test]
fn scoped_services_live_per_scope() {
    let container = Container::builder()
        .scoped::<RequestId>()
        .transient::<Request>()
        .build()
        .unwrap();
    assert_eq!(
        container.resolve::<RequestId>().err(),
        Some(ResolveError::NeedsScope {
            service: std::any::type_name::<RequestId>()
        })
    );
    let scope = container.scope();
    let a = scope.resolve::<Request>().unwrap();
    let b = scope.resolve::<Request>().unwrap();
    assert_eq!(a.id.value, b.id.value);
    let other = container.scope().resolve::<Request>().unwrap();
    assert_ne!(a.id.value, other.id.value);
}

/// Written by hand rather than derived: it resolves what it needs through `dyn Resolver`.
struct HandWritten {
    id: Arc<RequestId>,
    level: Arc<dyn Level>,
}

trait Level: Send + Sync {
    fn level(&self) -> u8;
}

#[derive(Inject)]
struct Loud;

impl Level for Loud {
    fn level(&self) -> u8 {
        9
    }
}

impl Inject for HandWritten {
    const NAME: &'static str = "HandWritten";
    const DEPENDENCIES: &'static [patternkit::di::Dependency] = &[];

    fn inject(resolver: &dyn patternkit::di::Resolver) -> Result<Self, ResolveError> {
        Ok(HandWritten {
            id: resolver.resolve::<RequestId>("RequestId")?,
            level: resolver.resolve::<dyn Level>("dyn Level")?,
        })
    }
}

/// A derived type holding a hand-written one, so both ways of building meet in one graph.
#[derive(Inject)]
struct HoldsHandWritten {
    inner: Arc<HandWritten>,
    also: HandWrittenOwned,
}

#[derive(Inject)]
struct HandWrittenOwned {
    level: Arc<dyn Level>,
}

#[test]
fn transients_are_made_alike_from_a_container_and_from_a_scope() {
    let container = Container::builder()
        .scoped::<RequestId>()
        .bind::<dyn Level, Loud>(Lifetime::Singleton, |l| l)
        .transient::<HandWritten>()
        .transient::<HoldsHandWritten>()
        .build()
        .unwrap();
    // From the container, a transient needing a scoped service is refused, whichever way
    // it is written.
    assert_eq!(
        container.resolve::<HoldsHandWritten>().err(),
        Some(ResolveError::NeedsScope {
            service: std::any::type_name::<RequestId>()
        })
    );
    let scope = container.scope();
    let first = scope.resolve::<HoldsHandWritten>().unwrap();
    let second = scope.resolve::<HoldsHandWritten>().unwrap();
    // New transients each time, the scoped service shared within the scope, the singleton
    // shared by all.
    assert!(!Arc::ptr_eq(&first.inner, &second.inner));
    assert!(Arc::ptr_eq(&first.inner.id, &second.inner.id));
    assert!(Arc::ptr_eq(&first.inner.level, &second.also.level));
    assert_eq!(first.inner.level.level(), 9);
    let other = container.scope().resolve::<HandWritten>().unwrap();
    assert!(!Arc::ptr_eq(&other.id, &first.inner.id));
}

#[test]
fn build_reports_every_missing_binding() {
    let errors = Container::builder()
        .transient::<UserService>()
        .build()
        .err()
        .unwrap();
    assert_eq!(
        errors.0,
        [
            BuildError::Missing {
                service: std::any::type_name::<UserRepo>(),
                needed_by: std::any::type_name::<UserService>(),
            },
            BuildError::Missing {
                service: std::any::type_name::<dyn Logger>(),
                needed_by: std::any::type_name::<EmailService>(),
            },
        ]
    );
    assert!(
        errors
            .to_string()
            .contains("needs `dyn di::Logger`, which nothing provides")
    );
}

#[derive(Inject)]
#[allow(dead_code)]
struct App {
    service: Arc<Service>,
}

#[derive(Inject)]
#[allow(dead_code)]
struct Service {
    app: Arc<App>,
}

#[test]
fn build_reports_a_cycle_with_its_path() {
    let errors = Container::builder()
        .transient::<App>()
        .transient::<Service>()
        .build()
        .err()
        .unwrap();
    let app = std::any::type_name::<App>();
    let service = std::any::type_name::<Service>();
    assert_eq!(
        errors.0,
        [BuildError::Cycle {
            path: vec![app, service, app]
        }]
    );
    assert_eq!(
        errors.0[0].to_string(),
        format!("dependency cycle: {app} -> {service} -> {app}")
    );
}

#[derive(Inject)]
#[allow(dead_code)]
struct Cache {
    request: Arc<RequestId>,
}

#[test]
fn build_reports_captive_dependencies_and_double_bindings() {
    let errors = Container::builder()
        .singleton::<Cache>()
        .scoped::<RequestId>()
        .scoped::<RequestId>()
        .build()
        .err()
        .unwrap();
    assert!(errors.0.contains(&BuildError::Duplicate {
        service: std::any::type_name::<RequestId>()
    }));
    assert!(errors.0.contains(&BuildError::Captive {
        singleton: std::any::type_name::<Cache>(),
        dependency: std::any::type_name::<RequestId>(),
        lifetime: Lifetime::Scoped,
    }));
}

#[test]
fn resolving_what_is_not_bound_is_a_typed_error() {
    let container = Container::builder().build().unwrap();
    assert_eq!(
        container.resolve::<dyn Logger>().err(),
        Some(ResolveError::NotBound {
            service: std::any::type_name::<dyn Logger>()
        })
    );
}

struct RecordingLogger(Mutex<Vec<String>>);

impl Logger for RecordingLogger {
    fn log(&self, line: &str) {
        self.0.lock().unwrap().push(line.to_owned());
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[test]
fn new_takes_the_dependencies_by_hand() {
    let logger: Arc<dyn Logger> = Arc::new(RecordingLogger(Mutex::new(Vec::new())));
    let repo = UserRepo::new(Arc::clone(&logger));
    repo.logger.log("by hand");
    assert_eq!(logger.lines(), ["by hand"]);
    let instance = Container::builder()
        .instance::<dyn Logger>(Arc::clone(&logger))
        .transient::<UserRepo>()
        .build()
        .unwrap();
    instance
        .resolve::<UserRepo>()
        .unwrap()
        .logger
        .log("through the container");
    assert_eq!(logger.lines(), ["by hand", "through the container"]);
}

static SLOW_MADE: AtomicUsize = AtomicUsize::new(0);

/// A scoped service slow to create, counting how often it is.
#[derive(Inject)]
struct SlowSession {
    #[inject(with = slow_session)]
    opened: usize,
}

fn slow_session() -> usize {
    std::thread::sleep(std::time::Duration::from_millis(20));
    SLOW_MADE.fetch_add(1, Ordering::SeqCst)
}

#[test]
fn a_scoped_service_raced_by_threads_of_one_scope_is_created_once() {
    let container = Container::builder()
        .scoped::<SlowSession>()
        .build()
        .unwrap();
    let scope = container.scope();
    let before = SLOW_MADE.load(Ordering::SeqCst);
    let sessions: Vec<Arc<SlowSession>> = std::thread::scope(|threads| {
        let handles: Vec<_> = (0..8)
            .map(|_| threads.spawn(|| scope.resolve::<SlowSession>().unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(SLOW_MADE.load(Ordering::SeqCst) - before, 1, "created once");
    assert!(
        sessions
            .iter()
            .all(|s| Arc::ptr_eq(s, &sessions[0]) && s.opened == sessions[0].opened)
    );
}

/// A type that already has its own `new`: the derive's constructor takes another name.
#[derive(Inject)]
#[inject(constructor = with_dependencies)]
struct Mailer {
    clock: Arc<RequestId>,
}

impl Mailer {
    /// The user's own `new`, with another signature.
    fn new(value: usize) -> Self {
        Mailer {
            clock: Arc::new(RequestId { value }),
        }
    }
}

/// A type whose constructor is its own business.
#[derive(Inject)]
#[inject(no_constructor)]
struct Quiet {
    #[inject(default)]
    count: Mutex<u8>,
}

impl Quiet {
    fn new() -> Self {
        Quiet {
            count: Mutex::new(7),
        }
    }
}

#[test]
fn the_constructor_can_be_renamed_or_left_out() {
    assert_eq!(Mailer::new(9).clock.value, 9);
    let mailer = Mailer::with_dependencies(Arc::new(RequestId { value: 3 }));
    assert_eq!(mailer.clock.value, 3);
    assert_eq!(*Quiet::new().count.lock().unwrap(), 7);
}
