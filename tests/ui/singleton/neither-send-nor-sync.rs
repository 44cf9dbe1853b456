//! A singleton that can be neither sent nor shared between threads: each missing trait is
//! named once, where the type is made a singleton, however often it is used.
use std::rc::Rc;

use patternkit::singleton;

#[singleton]
#[derive(Default)]
struct Cache {
    entries: Rc<Vec<String>>,
}

fn main() {
    let _ = Cache::instance().entries.len();
    let _ = Cache::get();
    let _ = Cache::wait();
}
