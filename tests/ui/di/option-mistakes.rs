//! The same three mistakes as in every macro's `option-mistakes` case, on both DI derives. A
//! misspelt field option is reported once: the field is not then reported as uninjectable.
use std::sync::Mutex;

use patternkit::di::{Container, Each, Inject};

#[derive(Inject)]
#[inject(crat = ::patternkit, crate = ::patternkit, crate = ::patternkit)]
struct Counter {
    #[inject(defualt)]
    hits: Mutex<u64>,
    #[inject(default = true)]
    misses: Mutex<u64>,
}

#[derive(Container, Default)]
#[container(crat = ::patternkit, crate = ::patternkit, crate = ::patternkit)]
struct AppContainer {
    #[provide(Counter, transient)]
    counter: Each<Counter>,
}

fn main() {}
