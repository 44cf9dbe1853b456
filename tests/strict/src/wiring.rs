//! Dependency injection with every option, reached through the renamed dependency `pk`.

use std::sync::Arc;

use pk::di::{Container, Each, Inject, Once};

/// Writes lines somewhere.
pub trait Logger: Send + Sync {
    /// Writes one line.
    fn log(&self, line: &str) -> usize;
}

/// Counts what it is asked to log.
#[derive(Debug, Default, Inject)]
#[inject(crate = pk)]
pub struct Counter {
    #[inject(default)]
    count: std::sync::atomic::AtomicUsize,
}

impl Logger for Counter {
    fn log(&self, _: &str) -> usize {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1
    }
}

fn default_table() -> String {
    "users".to_owned()
}

/// Stores users.
#[derive(Inject)]
#[inject(crate = pk)]
pub struct Repo {
    /// Where it logs.
    pub logger: Arc<dyn Logger>,
    /// Its table.
    #[inject(with = default_table)]
    pub table: String,
}

/// Uses the repository.
#[derive(Inject)]
#[inject(crate = pk)]
pub struct Service(pub Arc<Repo>, pub Arc<dyn Logger>);

/// Everything, checked at compile time.
#[derive(Container, Default)]
#[container(crate = pk)]
pub struct Wiring {
    #[provide(dyn Logger, singleton)]
    logger: Once<Counter>,
    #[provide(Repo, transient)]
    repo: Each<Repo>,
    #[provide(Service, transient)]
    service: Each<Service>,
}

/// Logs through both paths; returns how many lines the shared logger saw.
#[must_use]
pub fn run() -> usize {
    let wiring = Wiring::default();
    let service = wiring.resolve::<Service>();
    service.0.logger.log(&service.0.table);
    service.1.log("done")
}
