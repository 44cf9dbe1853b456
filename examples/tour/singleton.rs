//! Singleton: one lazily created, process-wide instance of a type.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::thread;

use patternkit::prelude::*;

use crate::caught_panic;

/// Counts how often the database "connection" was opened.
static CONNECTS: AtomicUsize = AtomicUsize::new(0);

#[singleton(init = Database::connect)]
struct Database {
    url: String,
    queries: AtomicU32,
}

impl Database {
    fn connect() -> Self {
        CONNECTS.fetch_add(1, Ordering::SeqCst);
        Database {
            url: "postgres://localhost/app".to_owned(),
            queries: AtomicU32::new(0),
        }
    }

    fn query(&self) -> u32 {
        self.queries.fetch_add(1, Ordering::Relaxed) + 1
    }
}

static ATTEMPTS: AtomicU32 = AtomicU32::new(0);

#[singleton(try_init = FeatureFlags::load)]
struct FeatureFlags {
    dark_mode: bool,
}

impl FeatureFlags {
    fn load() -> Result<Self, String> {
        if ATTEMPTS.fetch_add(1, Ordering::SeqCst) == 0 {
            Err("flag service is still starting".to_owned())
        } else {
            Ok(FeatureFlags { dark_mode: true })
        }
    }
}

#[singleton(manual)]
struct Args {
    port: u16,
}

#[singleton(init = Chicken::hatch)]
struct Chicken;

impl Chicken {
    fn hatch() -> Self {
        let _ = Egg::instance();
        Chicken
    }
}

#[singleton(init = Egg::lay)]
struct Egg;

impl Egg {
    fn lay() -> Self {
        let _ = Chicken::instance();
        Egg
    }
}

pub fn run() {
    println!("Singleton");
    println!("---------");
    println!(
        "`#[singleton(init = Database::connect)]` keeps one Database; nothing exists yet: \
         Database::is_initialized() = {}",
        Database::is_initialized()
    );

    let handles: Vec<_> = (0..8)
        .map(|_| thread::spawn(|| Database::instance().query()))
        .collect();
    let threads = handles.len();
    let queries = handles.into_iter().filter_map(|h| h.join().ok()).max();
    println!(
        "{threads} threads asked for Database::instance() at once; the shared instance \
         counted {} queries; the connection was opened {} time(s), to {}",
        queries.unwrap_or(0),
        CONNECTS.load(Ordering::SeqCst),
        Database::instance().url
    );
    println!(
        "Database::get() never creates it, only reads it: {}",
        if Database::get().is_some() {
            "Some(..)"
        } else {
            "None"
        }
    );

    match FeatureFlags::try_instance() {
        Ok(_) => println!("FeatureFlags loaded on the first try"),
        Err(error) => {
            println!("`try_init`: the first FeatureFlags::try_instance() failed: {error}");
        }
    }
    println!(
        "the error was not cached: the next call tried again and got dark_mode = {}",
        FeatureFlags::instance().dark_mode
    );

    let early = caught_panic(|| {
        let _ = Args::instance();
    });
    println!("`manual`: Args::instance() before Args::init(..) panics: {early}");
    let _ = Args::init(Args { port: 8080 });
    println!(
        "after Args::init(Args {{ port: 8080 }}), Args::instance().port = {}",
        Args::instance().port
    );

    let cycle = caught_panic(|| {
        let _ = Chicken::instance();
    });
    println!("a Chicken that needs an Egg that needs a Chicken does not deadlock: {cycle}");
    println!();
}
