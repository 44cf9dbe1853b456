//! Resolving from a container: a three-level graph and a singleton, from the compile-time
//! container and the runtime one, against building the same by hand.

use std::sync::{Arc, LazyLock};

use patternkit::di::{Container as RuntimeContainer, Container, Each, Inject, Lifetime, Once};

use crate::harness::{Case, Group, repeat};

pub trait Logger: Send + Sync {
    fn level(&self) -> u8;
}

#[derive(Inject)]
pub struct Quiet;

impl Logger for Quiet {
    fn level(&self) -> u8 {
        1
    }
}

#[derive(Inject)]
#[allow(dead_code)]
pub struct Repo {
    pub logger: Arc<dyn Logger>,
}

#[derive(Inject)]
#[allow(dead_code)]
pub struct Service {
    pub repo: Arc<Repo>,
    pub logger: Arc<dyn Logger>,
}

#[derive(Container, Default)]
pub struct Compiled {
    #[provide(dyn Logger, singleton)]
    logger: Once<Quiet>,
    #[provide(Repo, transient)]
    repo: Each<Repo>,
    #[provide(Service, transient)]
    service: Each<Service>,
}

static LOGGER: LazyLock<Arc<dyn Logger>> = LazyLock::new(|| Arc::new(Quiet));
static COMPILED: LazyLock<Compiled> = LazyLock::new(Compiled::default);
static RUNTIME: LazyLock<RuntimeContainer> = LazyLock::new(|| {
    RuntimeContainer::builder()
        .bind::<dyn Logger, Quiet>(Lifetime::Singleton, |l| l)
        .transient::<Repo>()
        .transient::<Service>()
        .build()
        .unwrap_or_else(|_| {
            RuntimeContainer::builder()
                .build()
                .unwrap_or_else(|_| unreachable!())
        })
});

fn by_hand() -> Arc<Service> {
    let logger = Arc::clone(&LOGGER);
    Arc::new(Service {
        repo: Arc::new(Repo {
            logger: Arc::clone(&logger),
        }),
        logger,
    })
}

pub fn groups() -> Vec<Group> {
    let _ = (
        &*LOGGER,
        COMPILED.resolve::<dyn Logger>(),
        RUNTIME.resolve::<dyn Logger>(),
    );
    vec![
        Group {
            title: "DI: resolving a three-level graph",
            operation: "A transient `Service` holding a transient `Repo`, both holding the singleton \
                        `dyn Logger`: two allocations and three reference counts each time.",
            reference: "di_graph_by_hand",
            cases: vec![
                Case {
                    id: "di_graph_by_hand",
                    label: "built by hand",
                    run: |n| repeat(n, by_hand),
                },
                Case {
                    id: "di_graph_compiled",
                    label: "patternkit `#[derive(Container)]` `resolve`",
                    run: |n| repeat(n, || COMPILED.resolve::<Service>()),
                },
                Case {
                    id: "di_graph_runtime",
                    label: "patternkit `di::Container::resolve`",
                    run: |n| repeat(n, || RUNTIME.resolve::<Service>().ok()),
                },
            ],
        },
        Group {
            title: "DI: resolving a singleton",
            operation: "The shared `dyn Logger`, already created: a reference count, and for the \
                        runtime container a lookup by type.",
            reference: "di_singleton_by_hand",
            cases: vec![
                Case {
                    id: "di_singleton_by_hand",
                    label: "`Arc::clone` of a global",
                    run: |n| repeat(n, || Arc::clone(&LOGGER)),
                },
                Case {
                    id: "di_singleton_compiled",
                    label: "patternkit `#[derive(Container)]` `resolve`",
                    run: |n| repeat(n, || COMPILED.resolve::<dyn Logger>()),
                },
                Case {
                    id: "di_singleton_runtime",
                    label: "patternkit `di::Container::resolve`",
                    run: |n| repeat(n, || RUNTIME.resolve::<dyn Logger>().ok()),
                },
            ],
        },
    ]
}

/// Keeps the trait's method in use.
pub fn level() -> u8 {
    LOGGER.level()
}
