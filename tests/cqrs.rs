//! CQRS end to end: derived messages, `#[handlers]` (sync and async), the compile-time bus
//! with middleware, and the runtime registry under many threads.

// Handlers take their message by value and some are `async` without awaiting, by design of
// these tests.
#![allow(
    clippy::needless_pass_by_value,
    clippy::unused_async,
    clippy::cast_possible_truncation
)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use patternkit::cqrs::{
    Completed, DispatchError, Incoming, MessageKind, Middleware, Outcome, Pipeline,
    RegistrationError, Registry, Timing, Validate, Validation, ValidationError, block_on, handlers,
};
use patternkit::prelude::*;

#[derive(Debug, PartialEq)]
enum UserError {
    NotFound(u64),
}

#[derive(Command, Debug)]
#[command(output = u64, validate)]
struct CreateUser {
    name: String,
}

impl Validate for CreateUser {
    fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "must not be empty"));
        }
        Ok(())
    }
}

#[derive(Command)]
#[command(error = UserError)]
struct RenameUser {
    id: u64,
    name: String,
}

#[derive(Query)]
#[query(output = String, error = UserError)]
struct GetUser {
    id: u64,
}

#[derive(Query)]
#[query(output = Vec<String>)]
struct ListUsers;

#[derive(Event, Debug, Clone)]
struct UserCreated {
    id: u64,
}

#[derive(Event)]
struct Tick;

type Store = Arc<Mutex<BTreeMap<u64, String>>>;

#[derive(Default)]
struct UserCommandService {
    store: Store,
}

#[handlers]
impl UserCommandService {
    #[command]
    async fn create(&self, command: CreateUser) -> Result<u64, core::convert::Infallible> {
        let mut store = self.store.lock().unwrap();
        let id = store.len() as u64 + 1;
        store.insert(id, command.name);
        Ok(id)
    }

    #[command]
    fn rename(&self, command: RenameUser) -> Result<(), UserError> {
        let mut store = self.store.lock().unwrap();
        let name = store
            .get_mut(&command.id)
            .ok_or(UserError::NotFound(command.id))?;
        *name = command.name;
        Ok(())
    }
}

struct UserQueryService {
    store: Store,
}

#[handlers]
impl UserQueryService {
    #[query]
    fn get(&self, query: GetUser) -> Result<String, UserError> {
        self.store
            .lock()
            .unwrap()
            .get(&query.id)
            .cloned()
            .ok_or(UserError::NotFound(query.id))
    }

    #[query]
    async fn list(&self, _: ListUsers) -> Result<Vec<String>, core::convert::Infallible> {
        Ok(self.store.lock().unwrap().values().cloned().collect())
    }
}

#[derive(Default, Clone)]
struct Journal(Arc<Mutex<Vec<String>>>);

struct AuditLog(Journal);
struct Mailer(Journal);

#[handlers]
impl AuditLog {
    #[event]
    fn created(&self, event: &UserCreated) {
        self.0.0.lock().unwrap().push(format!("audit {}", event.id));
    }
}

#[handlers]
impl Mailer {
    #[event]
    async fn welcome(&self, event: &UserCreated) {
        self.0.0.lock().unwrap().push(format!("mail {}", event.id));
    }
}

#[derive(Bus)]
#[bus(publishes(Tick))]
struct AppBus {
    #[handles(CreateUser, RenameUser)]
    users: UserCommandService,
    #[handles(GetUser, ListUsers)]
    reads: UserQueryService,
    #[subscribes(UserCreated)]
    audit: AuditLog,
    #[subscribes(UserCreated)]
    mailer: Mailer,
}

fn app() -> (AppBus, Journal) {
    let store = Store::default();
    let journal = Journal::default();
    let bus = AppBus {
        users: UserCommandService {
            store: Arc::clone(&store),
        },
        reads: UserQueryService { store },
        audit: AuditLog(journal.clone()),
        mailer: Mailer(journal.clone()),
    };
    (bus, journal)
}

#[test]
fn static_bus_sends_asks_and_publishes() {
    let (bus, journal) = app();
    block_on(async {
        let id = bus.send(CreateUser { name: "ada".into() }).await.unwrap();
        assert_eq!(bus.ask(GetUser { id }).await, Ok("ada".to_owned()));
        bus.send(RenameUser {
            id,
            name: "grace".into(),
        })
        .await
        .unwrap();
        assert_eq!(bus.ask(ListUsers).await, Ok(vec!["grace".to_owned()]));
        assert_eq!(
            bus.send(RenameUser {
                id: 9,
                name: "x".into()
            })
            .await,
            Err(DispatchError::Handler(UserError::NotFound(9)))
        );
        bus.publish(&UserCreated { id }).await.unwrap();
        bus.publish(&Tick).await.unwrap();
    });
    // Subscribers in field order.
    assert_eq!(*journal.0.lock().unwrap(), ["audit 1", "mail 1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn static_bus_futures_are_send_under_tokio() {
    let (bus, _) = app();
    let bus = Arc::new(bus);
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let bus = Arc::clone(&bus);
            tokio::spawn(async move {
                bus.send(CreateUser {
                    name: format!("user{i}"),
                })
                .await
            })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
    assert_eq!(bus.ask(ListUsers).await.unwrap().len(), 16);
}

/// Records the order in which layers run.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Middleware for Recorder {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} before {}", self.name, incoming.name()));
        Ok(())
    }

    fn after(&self, completed: &Completed) {
        self.log.lock().unwrap().push(format!(
            "{} after {} {:?}",
            self.name, completed.name, completed.outcome
        ));
    }
}

#[derive(Bus)]
struct GuardedBus {
    #[handles(CreateUser)]
    users: UserCommandService,
    #[middleware]
    pipeline: Pipeline,
}

#[test]
fn middleware_runs_in_order_and_validation_rejects_before_the_handler() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let timing = Arc::new(Timing::new());
    let bus = GuardedBus {
        users: UserCommandService::default(),
        pipeline: Pipeline::new()
            .with(Recorder {
                name: "outer",
                log: Arc::clone(&log),
            })
            .with(Arc::clone(&timing))
            .with(Validation)
            .with(Recorder {
                name: "inner",
                log: Arc::clone(&log),
            }),
    };
    block_on(async {
        assert_eq!(bus.send(CreateUser { name: "ada".into() }).await, Ok(1));
        let rejected = bus
            .send(CreateUser { name: "  ".into() })
            .await
            .unwrap_err();
        assert_eq!(
            rejected,
            DispatchError::rejected(
                "CreateUser",
                ValidationError::new("name", "must not be empty"),
            )
        );
        assert_eq!(
            rejected.to_string(),
            "`CreateUser` was rejected before reaching its handler: `name` must not be empty"
        );
    });
    // The rejected command never reached the store.
    assert_eq!(bus.users.store.lock().unwrap().len(), 1);
    assert_eq!(
        *log.lock().unwrap(),
        [
            "outer before CreateUser",
            "inner before CreateUser",
            "inner after CreateUser Handled",
            "outer after CreateUser Handled",
            "outer before CreateUser",
            "outer after CreateUser Rejected",
        ]
    );
    assert_eq!(timing.snapshot()["CreateUser"].count, 2);
}

fn registry() -> Result<Registry, patternkit::cqrs::RegistrationErrors> {
    let store = Store::default();
    let commands = Arc::new(UserCommandService {
        store: Arc::clone(&store),
    });
    let journal = Journal::default();
    Registry::builder()
        .command::<CreateUser>(Arc::clone(&commands))
        .command::<RenameUser>(commands)
        .query::<GetUser>(UserQueryService { store })
        .event::<UserCreated>(AuditLog(journal.clone()))
        .event::<UserCreated>(Mailer(journal))
        .middleware(Pipeline::new().with(Validation))
        .build()
}

#[test]
fn runtime_registry_dispatches_and_reports_missing_handlers() {
    let registry = registry().unwrap();
    block_on(async {
        let id = registry
            .send(CreateUser { name: "ada".into() })
            .await
            .unwrap();
        assert_eq!(registry.ask(GetUser { id }).await, Ok("ada".to_owned()));
        let missing = registry.ask(ListUsers).await.unwrap_err();
        assert_eq!(
            missing,
            DispatchError::no_handler("ListUsers", MessageKind::Query)
        );
        assert_eq!(
            missing.to_string(),
            "no handler is registered for the query `ListUsers`"
        );
        assert!(matches!(
            registry
                .send(CreateUser {
                    name: String::new()
                })
                .await,
            Err(DispatchError::Rejected { .. })
        ));
        registry.publish(&UserCreated { id }).await.unwrap();
        registry.publish(&Tick).await.unwrap(); // no subscribers: nothing happens
    });
    assert!(registry.handles::<CreateUser>());
    assert!(!registry.handles::<ListUsers>());
}

#[test]
fn a_second_handler_is_refused_and_every_other_registration_kept() {
    let builder = Registry::builder()
        .command::<CreateUser>(UserCommandService::default())
        .command::<CreateUser>(UserCommandService::default())
        .command::<RenameUser>(UserCommandService::default())
        .query::<GetUser>(UserQueryService {
            store: Store::default(),
        })
        .query::<GetUser>(UserQueryService {
            store: Store::default(),
        });
    let errors = builder.build().err().unwrap();
    assert_eq!(
        errors.0,
        [
            RegistrationError::Duplicate {
                message: "CreateUser",
                kind: MessageKind::Command
            },
            RegistrationError::Duplicate {
                message: "GetUser",
                kind: MessageKind::Query
            }
        ]
    );
    assert_eq!(
        errors.to_string(),
        "the command `CreateUser` already has a handler; a command has exactly one; the query \
         `GetUser` already has a handler; a query has exactly one"
    );
}

#[test]
fn runtime_registry_serves_many_threads() {
    let registry = Arc::new(registry().unwrap());
    let threads: Vec<_> = (0..12)
        .map(|t| {
            let registry = Arc::clone(&registry);
            std::thread::spawn(move || {
                for i in 0..50 {
                    let id = block_on(registry.send(CreateUser {
                        name: format!("{t}-{i}"),
                    }))
                    .unwrap();
                    assert!(block_on(registry.ask(GetUser { id })).is_ok());
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let last = block_on(registry.send(CreateUser {
        name: "last".into(),
    }))
    .unwrap();
    assert_eq!(last, 12 * 50 + 1);
}

#[test]
fn outcome_of_a_failing_handler_is_reported() {
    struct Seen(Arc<Mutex<Vec<Outcome>>>);
    impl Middleware for Seen {
        fn after(&self, completed: &Completed) {
            self.0.lock().unwrap().push(completed.outcome);
        }
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let registry = Registry::builder()
        .command::<RenameUser>(UserCommandService::default())
        .middleware(Pipeline::new().with(Seen(Arc::clone(&seen))))
        .build()
        .unwrap();
    let result = block_on(registry.send(RenameUser {
        id: 1,
        name: "x".into(),
    }));
    assert_eq!(result, Err(DispatchError::Handler(UserError::NotFound(1))));
    assert_eq!(*seen.lock().unwrap(), [Outcome::Failed]);
}

mod generic_bus {
    //! A bus generic over what its handlers run on: the test swaps the backend.
    use patternkit::cqrs::block_on;
    use patternkit::prelude::*;

    pub trait Backend: Send + Sync + 'static {
        fn store(&self, n: u64) -> u64;
    }

    pub struct Doubling;

    impl Backend for Doubling {
        fn store(&self, n: u64) -> u64 {
            n * 2
        }
    }

    pub struct Counting(pub std::sync::atomic::AtomicU64);

    impl Backend for Counting {
        fn store(&self, n: u64) -> u64 {
            self.0.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n
        }
    }

    #[derive(Command)]
    #[command(output = u64)]
    pub struct Save(pub u64);

    #[derive(Event)]
    pub struct Saved;

    pub struct Saver<B> {
        backend: B,
    }

    #[handlers]
    impl<B: Backend> Saver<B> {
        #[command]
        fn save(&self, Save(n): Save) -> Result<u64, std::convert::Infallible> {
            Ok(self.backend.store(n))
        }

        #[event]
        fn saved(&self, _: &Saved) {}
    }

    #[derive(Bus)]
    pub struct AppBus<B: Backend> {
        #[handles(Save)]
        #[subscribes(Saved)]
        saver: Saver<B>,
    }

    #[test]
    fn a_bus_can_be_generic_over_its_handlers_backend() {
        let doubling = AppBus {
            saver: Saver { backend: Doubling },
        };
        assert_eq!(block_on(doubling.send(Save(21))), Ok(42));
        let counting = AppBus {
            saver: Saver {
                backend: Counting(std::sync::atomic::AtomicU64::new(1)),
            },
        };
        assert_eq!(block_on(counting.send(Save(2))), Ok(3));
        block_on(counting.publish(&Saved)).unwrap();
    }
}
