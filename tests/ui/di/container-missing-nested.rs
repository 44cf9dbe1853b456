use std::sync::Arc;

use patternkit::di::{Container, Each, Inject};

trait Logger: Send + Sync {}

#[derive(Inject)]
struct Repo {
    logger: Arc<dyn Logger>,
}

#[derive(Inject)]
struct Service {
    repo: Repo,
}

#[derive(Container, Default)]
struct AppContainer {
    #[provide(Service, transient)]
    service: Each<Service>,
}

fn main() {}
