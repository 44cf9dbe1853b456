use std::sync::Arc;

use patternkit::di::{Container, Each, Inject};

trait Logger: Send + Sync {}

#[derive(Inject)]
struct App {
    logger: Arc<dyn Logger>,
}

#[derive(Container, Default)]
struct AppContainer {
    #[provide(App, transient)]
    app: Each<App>,
}

fn main() {
    let _ = AppContainer::default().resolve::<App>();
}
