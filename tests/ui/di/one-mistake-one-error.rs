//! An injectable type and a container with one mistake each give one error each: `new` and
//! `resolve` still exist, so the code using them adds none.
use std::sync::Arc;

use patternkit::di::{Container, Inject, Once};

#[derive(Inject, Default)]
struct Clock;

#[derive(Inject)]
#[inject(defualt)]
struct Greeter {
    clock: Arc<Clock>,
}

#[derive(Container, Default)]
#[container(crat = ::patternkit)]
struct App {
    #[provide(Clock, singleton)]
    clock: Once<Clock>,
    #[provide(Greeter, singleton)]
    greeter: Once<Greeter>,
}

fn main() {
    let app = App::default();
    let _: Arc<Greeter> = app.resolve();
    let _ = Greeter::new(Arc::new(Clock));
}
