//! `#[singleton]` in every mode, reached through the renamed dependency `pk`.

use core::sync::atomic::{AtomicU32, Ordering};

use pk::singleton;

/// Created with `Default`.
#[singleton(crate = pk)]
#[derive(Debug, Default)]
pub struct Hits {
    count: AtomicU32,
}

impl Hits {
    /// Counts one hit and returns the new total.
    pub fn hit(&self) -> u32 {
        self.count.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Created with a constructor.
#[singleton(crate = pk, init = Greeting::new)]
#[derive(Debug)]
pub struct Greeting(pub String);

impl Greeting {
    fn new() -> Self {
        Greeting("hello".to_owned())
    }
}

/// Created with a fallible constructor, its error boxed.
#[singleton(crate = pk, try_init = Port::parse)]
#[derive(Debug)]
pub struct Port(pub u16);

impl Port {
    fn parse() -> Result<Self, core::num::ParseIntError> {
        "8080".parse().map(Port)
    }
}

/// Created with a fallible constructor, its error as it is.
#[singleton(crate = pk, try_init = Limit::parse, error = core::num::ParseIntError)]
#[derive(Debug)]
pub struct Limit(pub u32);

impl Limit {
    fn parse() -> Result<Self, core::num::ParseIntError> {
        "12".parse().map(Limit)
    }
}

/// Given its value by hand.
#[singleton(crate = pk, manual)]
#[derive(Debug)]
pub enum Mode {
    /// Development.
    Dev,
    /// Production.
    Prod,
}

/// Only visible in this crate.
#[singleton(crate = pk)]
#[derive(Debug, Default)]
pub(crate) struct Internal;

/// Uses the crate-visible singleton so it is not dead code.
#[must_use]
pub fn internal_is_ready() -> bool {
    let _ = Internal::instance();
    Internal::is_initialized()
}
