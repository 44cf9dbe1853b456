use std::sync::Arc;

use patternkit::di::{Container, Each, Inject, Once};

#[derive(Inject)]
struct App {
    service: Arc<UserService>,
}

#[derive(Inject)]
struct UserService {
    app: Arc<App>,
}

#[derive(Container, Default)]
struct AppContainer {
    #[provide(App, transient)]
    app: Each<App>,
    #[provide(UserService, singleton)]
    service: Once<UserService>,
}

fn main() {}
