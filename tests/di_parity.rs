//! What shaku users rely on, with the runtime container: overriding one binding of an
//! assembled application, parameters given at build time to a type that also has injected
//! fields, eager singletons, several implementations of one interface as `Vec<Arc<dyn T>>`,
//! fallible providers (whose cycles are errors, never hangs), and generic components.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use patternkit::di::{BuildError, Container, ContainerBuilder, Inject, Lifetime, ResolveError};

trait Clock: Send + Sync {
    fn now(&self) -> u64;
}

#[derive(Inject)]
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        1_700_000_000
    }
}

#[derive(Inject)]
struct FrozenClock;

impl Clock for FrozenClock {
    fn now(&self) -> u64 {
        0
    }
}

#[derive(Inject)]
struct Billing {
    clock: Arc<dyn Clock>,
    #[inject(param)]
    currency: &'static str,
    #[inject(param)]
    rate: u32,
}

fn application() -> ContainerBuilder {
    Container::builder()
        .bind::<dyn Clock, SystemClock>(Lifetime::Singleton, |c| c)
        .transient::<Billing>()
        .param::<Billing>("currency", "EUR")
        .param::<Billing>("rate", 7_u32)
}

#[test]
fn a_test_replaces_one_binding_of_the_assembled_application() {
    let production = application().build().unwrap();
    assert_eq!(
        production.resolve::<Billing>().unwrap().clock.now(),
        1_700_000_000
    );

    let test = application()
        .replace::<dyn Clock, FrozenClock>(Lifetime::Singleton, |c| c)
        .build()
        .unwrap();
    assert_eq!(test.resolve::<Billing>().unwrap().clock.now(), 0);

    let by_value = application()
        .replace_instance::<dyn Clock>(Arc::new(FrozenClock))
        .build()
        .unwrap();
    assert_eq!(by_value.resolve::<dyn Clock>().unwrap().now(), 0);
}

#[test]
fn binding_twice_is_still_refused_and_says_how_to_replace() {
    let Err(errors) = application()
        .bind::<dyn Clock, FrozenClock>(Lifetime::Singleton, |c| c)
        .build()
    else {
        panic!("a second binding is a mistake");
    };
    assert_eq!(errors.0.len(), 1);
    assert!(errors.to_string().contains("use `replace`"), "{errors}");

    let Err(errors) = Container::builder()
        .replace::<dyn Clock, FrozenClock>(Lifetime::Singleton, |c| c)
        .build()
    else {
        panic!("replacing nothing is a mistake");
    };
    assert!(matches!(
        errors.0.as_slice(),
        [BuildError::NothingToReplace { service }] if service.contains("Clock")
    ));
}

#[test]
fn parameters_fill_the_fields_the_container_does_not_inject() {
    let container = application().build().unwrap();
    let billing = container.resolve::<Billing>().unwrap();
    assert_eq!((billing.currency, billing.rate), ("EUR", 7));
    // The constructor takes parameters like dependencies, for a test that builds by hand.
    let by_hand = Billing::new(Arc::new(FrozenClock), "USD", 3);
    assert_eq!((by_hand.clock.now(), by_hand.currency), (0, "USD"));
}

#[test]
fn a_parameter_missing_of_another_type_or_for_no_field_is_a_build_error() {
    let errors = Container::builder()
        .bind::<dyn Clock, SystemClock>(Lifetime::Singleton, |c| c)
        .transient::<Billing>()
        .param::<Billing>("currency", String::from("EUR"))
        .param::<Billing>("ratee", 7_u32)
        .build()
        .err()
        .unwrap()
        .0;
    assert!(errors.contains(&BuildError::Param {
        owner: "di_parity::Billing",
        field: "currency",
        given_other_type: true,
    }));
    assert!(errors.contains(&BuildError::Param {
        owner: "di_parity::Billing",
        field: "rate",
        given_other_type: false,
    }));
    assert!(errors.contains(&BuildError::UnusedParam {
        owner: "di_parity::Billing",
        field: "ratee",
    }));
    assert_eq!(errors.len(), 3);
}

#[derive(Inject)]
struct Invoice {
    billing: Billing,
}

#[test]
fn parameters_reach_types_built_inside_others() {
    let container = application().transient::<Invoice>().build().unwrap();
    assert_eq!(container.resolve::<Invoice>().unwrap().billing.rate, 7);
}

static MADE: AtomicUsize = AtomicUsize::new(0);

struct Expensive;

#[test]
fn eager_singletons_are_made_by_build_and_their_failures_reported_there() {
    let container = Container::builder()
        .provide::<Expensive, std::convert::Infallible>(Lifetime::Singleton, |_| {
            MADE.fetch_add(1, Ordering::SeqCst);
            Ok(Arc::new(Expensive))
        })
        .eager()
        .build()
        .unwrap();
    assert_eq!(MADE.load(Ordering::SeqCst), 1, "made by build");
    container.resolve::<Expensive>().unwrap();
    assert_eq!(MADE.load(Ordering::SeqCst), 1, "and not again");

    let errors = Container::builder()
        .provide::<Expensive, _>(Lifetime::Singleton, |_| Err("no licence"))
        .eager()
        .build()
        .err()
        .unwrap();
    assert!(matches!(
        errors.0.as_slice(),
        [BuildError::Eager {
            error: ResolveError::Failed { .. },
            ..
        }]
    ));
    assert!(errors.to_string().contains("no licence"), "{errors}");
    // Lazily, the same failure waits for the first request.
    let lazy = Container::builder()
        .provide::<Expensive, _>(Lifetime::Singleton, |_| Err("no licence"))
        .build()
        .unwrap();
    assert!(lazy.resolve::<Expensive>().is_err());
}

trait Check: Send + Sync {
    fn name(&self) -> String;
}

#[derive(Inject)]
struct Disk;

impl Check for Disk {
    fn name(&self) -> String {
        "disk".into()
    }
}

#[derive(Inject)]
struct Network {
    clock: Arc<dyn Clock>,
}

impl Check for Network {
    fn name(&self) -> String {
        format!("network@{}", self.clock.now())
    }
}

#[derive(Inject)]
struct Health {
    checks: Vec<Arc<dyn Check>>,
}

#[test]
fn several_implementations_resolve_together_in_the_order_added() {
    let container = Container::builder()
        .bind::<dyn Clock, FrozenClock>(Lifetime::Singleton, |c| c)
        .add::<dyn Check, Disk>(Lifetime::Singleton, |c| c)
        .add::<dyn Check, Network>(Lifetime::Transient, |c| c)
        .add_instance::<dyn Check>(Arc::new(Disk))
        .transient::<Health>()
        .build()
        .unwrap();
    let health = container.resolve::<Health>().unwrap();
    let names: Vec<String> = health.checks.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["disk", "network@0", "disk"]);
    let again = container.resolve_all::<dyn Check>().unwrap();
    assert!(
        Arc::ptr_eq(&health.checks[0], &again[0]),
        "a singleton is shared"
    );
    assert!(
        !Arc::ptr_eq(&health.checks[1], &again[1]),
        "a transient is not"
    );
    // None added is an empty list, not an error; a single binding is another thing.
    assert!(container.resolve_all::<dyn Clock>().unwrap().is_empty());
    assert!(container.resolve::<dyn Check>().is_err());
}

#[test]
fn implementations_are_checked_with_the_graph() {
    let errors = Container::builder()
        .add::<dyn Check, Network>(Lifetime::Transient, |c| c)
        .singleton::<Health>()
        .build()
        .err()
        .unwrap()
        .0;
    assert!(
        errors.iter().any(
            |e| matches!(e, BuildError::Missing { needed_by, .. } if needed_by.contains("Check"))
        ),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(
            |e| matches!(e, BuildError::Captive { dependency, .. } if dependency.contains("Check"))
        ),
        "{errors:?}"
    );
}

#[derive(Inject)]
struct SelfAware {
    checks: Vec<Arc<dyn Check>>,
}

impl Check for SelfAware {
    fn name(&self) -> String {
        format!("{} others", self.checks.len())
    }
}

#[test]
fn a_cycle_through_implementations_is_a_build_error() {
    let errors = Container::builder()
        .add::<dyn Check, SelfAware>(Lifetime::Transient, |c| c)
        .build()
        .err()
        .unwrap()
        .0;
    assert!(
        matches!(errors.as_slice(), [BuildError::Cycle { .. }]),
        "{errors:?}"
    );
}

#[test]
fn scoped_implementations_are_made_once_per_scope() {
    let container = Container::builder()
        .add::<dyn Check, Disk>(Lifetime::Scoped, |c| c)
        .build()
        .unwrap();
    assert!(matches!(
        container.resolve_all::<dyn Check>(),
        Err(ResolveError::NeedsScope { .. })
    ));
    let scope = container.scope();
    let first = scope.resolve_all::<dyn Check>().unwrap();
    let second = scope.resolve_all::<dyn Check>().unwrap();
    assert!(Arc::ptr_eq(&first[0], &second[0]));
    let other = container.scope().resolve_all::<dyn Check>().unwrap();
    assert!(!Arc::ptr_eq(&first[0], &other[0]));

    // A scoped implementation and a scoped single binding of the same type are two things.
    let both = Container::builder()
        .add::<dyn Check, Disk>(Lifetime::Scoped, |c| c)
        .scoped::<Disk>()
        .build()
        .unwrap();
    let scope = both.scope();
    assert_eq!(scope.resolve::<Disk>().unwrap().name(), "disk");
    assert_eq!(scope.resolve_all::<dyn Check>().unwrap().len(), 1);
}

struct Settings {
    port: u16,
}

struct Server {
    settings: Arc<Settings>,
    clock: Arc<dyn Clock>,
}

#[test]
fn providers_resolve_what_they_need_and_their_errors_come_back_typed() {
    let container = Container::builder()
        .bind::<dyn Clock, FrozenClock>(Lifetime::Singleton, |c| c)
        .provide::<Settings, _>(Lifetime::Singleton, |_| {
            Ok::<_, std::num::ParseIntError>(Arc::new(Settings {
                port: "8080".parse()?,
            }))
        })
        .provide::<Server, ResolveError>(Lifetime::Transient, |resolver| {
            Ok(Arc::new(Server {
                settings: resolver.resolve::<Settings>("Settings")?,
                clock: resolver.resolve::<dyn Clock>("dyn Clock")?,
            }))
        })
        .build()
        .unwrap();
    let server = container.resolve::<Server>().unwrap();
    assert_eq!((server.settings.port, server.clock.now()), (8080, 0));

    let broken = Container::builder()
        .provide::<Settings, _>(Lifetime::Singleton, |_| {
            Ok::<_, std::num::ParseIntError>(Arc::new(Settings {
                port: "80a".parse()?,
            }))
        })
        .build()
        .unwrap();
    let error = broken.resolve::<Settings>().map(|_| ()).unwrap_err();
    assert!(matches!(error, ResolveError::Failed { service, .. } if service.ends_with("Settings")));
    assert_eq!(
        std::error::Error::source(&error).map(ToString::to_string),
        Some("invalid digit found in string".to_owned())
    );
}

struct Ping;
struct Pong;

/// Runs `f` on another thread and fails if it does not finish in time: a cycle must be an
/// error, never a hang.
fn finishes<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(f());
    });
    receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("resolving hung instead of reporting the cycle")
}

fn cyclic(lifetime: Lifetime) -> Container {
    Container::builder()
        .provide::<Ping, ResolveError>(lifetime, |resolver| {
            resolver.resolve::<Pong>("Pong")?;
            Ok(Arc::new(Ping))
        })
        .provide::<Pong, ResolveError>(lifetime, |resolver| {
            resolver.resolve::<Ping>("Ping")?;
            Ok(Arc::new(Pong))
        })
        .build()
        .unwrap()
}

#[test]
fn a_cycle_through_providers_is_an_error_at_resolve_never_a_hang() {
    for lifetime in [Lifetime::Singleton, Lifetime::Transient] {
        let error = finishes(move || cyclic(lifetime).resolve::<Ping>().map(|_| ()).unwrap_err());
        let path = error.cycle().expect("a cycle").to_owned();
        assert!(
            path.contains("Ping") && path.contains("Pong"),
            "{lifetime:?}: {path}"
        );
        assert!(error.to_string().contains("dependency cycle"), "{error}");
    }
}

#[test]
fn a_cycle_split_across_threads_is_reported_too() {
    // Two threads each start one end of the cycle at once; whichever way they interleave,
    // each gets an error (or the value, if the other made it first) and neither blocks.
    for _ in 0..20 {
        let container = Arc::new(cyclic(Lifetime::Singleton));
        let other = Arc::clone(&container);
        let first = std::thread::spawn(move || other.resolve::<Ping>().is_ok());
        let second = finishes({
            let container = Arc::clone(&container);
            move || container.resolve::<Pong>().is_ok()
        });
        let first = first.join().unwrap();
        assert!(!(first && second), "a cycle cannot be made");
    }
}

trait Store: Send + Sync {
    fn kind(&self) -> &'static str;
}

#[derive(Inject)]
struct Memory;

impl Store for Memory {
    fn kind(&self) -> &'static str {
        "memory"
    }
}

/// A generic component, one binding per instance.
#[derive(Inject)]
struct Repository<T: Send + Sync + 'static> {
    store: Arc<dyn Store>,
    #[inject(default)]
    item: PhantomData<T>,
}

impl<T: Send + Sync + 'static> Repository<T> {
    fn describe(&self) -> String {
        format!("{} of {}", self.store.kind(), std::any::type_name::<T>())
    }
}

#[test]
fn generic_components_bind_per_instance() {
    let container = Container::builder()
        .bind::<dyn Store, Memory>(Lifetime::Singleton, |s| s)
        .singleton::<Repository<u32>>()
        .transient::<Repository<String>>()
        .build()
        .unwrap();
    assert_eq!(
        container.resolve::<Repository<u32>>().unwrap().describe(),
        "memory of u32"
    );
    assert_eq!(
        container
            .resolve::<Repository<String>>()
            .unwrap()
            .describe(),
        "memory of alloc::string::String"
    );
    assert!(container.resolve::<Repository<u8>>().is_err());
    let _ = Repository::<u8>::new(Arc::new(Memory));
}

#[derive(patternkit::di::Container, Default)]
struct Compiled {
    #[provide(dyn Store, singleton)]
    store: patternkit::di::Once<Memory>,
    #[provide(Repository<u32>, transient)]
    numbers: patternkit::di::Each<Repository<u32>>,
}

#[test]
fn generic_components_wire_into_a_compile_time_container() {
    let container = Compiled::default();
    assert_eq!(
        container.resolve::<Repository<u32>>().describe(),
        "memory of u32"
    );
}
