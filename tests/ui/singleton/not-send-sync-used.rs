//! A singleton that cannot be shared between threads is one error, however often it is used.
use std::cell::Cell;

use patternkit::singleton;

#[singleton]
#[derive(Default)]
struct Counter {
    hits: Cell<u32>,
}

fn main() {
    let counter = Counter::instance();
    counter.hits.set(counter.hits.get() + 1);
    let _ = Counter::get();
    let _ = Counter::is_initialized();
    let _ = Counter::instance().hits.get();
}
