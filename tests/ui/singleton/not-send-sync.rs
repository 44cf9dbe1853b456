use std::cell::Cell;

use patternkit::singleton;

#[singleton]
#[derive(Default)]
struct Counter {
    hits: Cell<u32>,
}

fn main() {}
