use patternkit::di::{Container, Inject, Once};

trait Notifier: Send + Sync {}

#[derive(Inject)]
struct Sms;

#[derive(Container, Default)]
struct AppContainer {
    #[provide(dyn Notifier, singleton)]
    notifier: Once<Sms>,
}

fn main() {}
