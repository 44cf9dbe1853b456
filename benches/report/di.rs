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

/// The same graph in shaku: its components are singletons, its providers build anew.
// shaku's `module!` names its own fields.
#[allow(clippy::struct_field_names)]
mod with_shaku {
    use std::sync::Arc;

    use shaku::{Component, HasComponent, HasProvider, Interface, Provider, module};

    pub trait Log: Interface {
        fn level(&self) -> u8;
    }

    pub trait RepoApi {
        fn logger(&self) -> &Arc<dyn Log>;
    }

    pub trait ServiceApi {
        fn repo(&self) -> &dyn RepoApi;
    }

    #[derive(Component)]
    #[shaku(interface = Log)]
    pub struct QuietLog;

    impl Log for QuietLog {
        fn level(&self) -> u8 {
            1
        }
    }

    #[derive(Provider)]
    #[shaku(interface = RepoApi)]
    pub struct RepoImpl {
        #[shaku(inject)]
        logger: Arc<dyn Log>,
    }

    impl RepoApi for RepoImpl {
        fn logger(&self) -> &Arc<dyn Log> {
            &self.logger
        }
    }

    #[derive(Provider)]
    #[shaku(interface = ServiceApi)]
    pub struct ServiceImpl {
        #[shaku(provide)]
        repo: Box<dyn RepoApi>,
        #[shaku(inject)]
        logger: Arc<dyn Log>,
    }

    impl ServiceApi for ServiceImpl {
        fn repo(&self) -> &dyn RepoApi {
            let _ = &self.logger;
            &*self.repo
        }
    }

    module! {
        pub Shaku {
            components = [QuietLog],
            providers = [RepoImpl, ServiceImpl]
        }
    }

    pub fn module() -> Shaku {
        Shaku::builder().build()
    }

    pub fn service(module: &Shaku) -> Option<Box<dyn ServiceApi>> {
        HasProvider::<dyn ServiceApi>::provide(module).ok()
    }

    pub fn logger(module: &Shaku) -> Arc<dyn Log> {
        HasComponent::<dyn Log>::resolve(module)
    }

    pub fn level(module: &Shaku) -> u8 {
        service(module).map_or(0, |s| s.repo().logger().level())
    }
}

static SHAKU: LazyLock<with_shaku::Shaku> = LazyLock::new(with_shaku::module);

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
                    id: "di_graph_shaku",
                    label: "shaku `HasProvider::provide` (boxed providers)",
                    run: |n| repeat(n, || with_shaku::service(&SHAKU)),
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
                    id: "di_singleton_shaku",
                    label: "shaku `HasComponent::resolve`",
                    run: |n| repeat(n, || with_shaku::logger(&SHAKU)),
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

/// Keeps the traits' methods in use.
pub fn level() -> u8 {
    LOGGER.level() + with_shaku::level(&SHAKU)
}
