//! Feature `testing`: each thread can see its own instance of a singleton for a while.

use std::sync::{Arc, Barrier};
use std::thread;

use pk::singleton;

#[singleton(crate = pk, init = || Database { url: "postgres://prod".into() })]
#[derive(Debug)]
struct Database {
    url: String,
}

fn current_url() -> &'static str {
    &Database::instance().url
}

#[test]
fn override_is_seen_inside_the_closure_only() {
    static FAKE: Database = Database { url: String::new() };
    let seen = Database::scoped_override(&FAKE, current_url);
    assert_eq!(seen, "");
    let leaked = Box::leak(Box::new(Database {
        url: "sqlite::memory:".into(),
    }));
    let seen = Database::scoped_override(leaked, current_url);
    assert_eq!(seen, "sqlite::memory:");
    assert_eq!(current_url(), "postgres://prod");
}

#[test]
fn overrides_nest_and_unwind() {
    let outer: &'static Database = Box::leak(Box::new(Database {
        url: "outer".into(),
    }));
    Database::scoped_override(outer, || {
        assert_eq!(current_url(), "outer");
        let inner: &'static Database = Box::leak(Box::new(Database {
            url: "inner".into(),
        }));
        let result = std::panic::catch_unwind(|| {
            Database::scoped_override(inner, || {
                assert_eq!(current_url(), "inner");
                panic!("test body failed");
            })
        });
        assert!(result.is_err());
        assert_eq!(current_url(), "outer");
        assert!(Database::get().is_some_and(|db| db.url == "outer"));
    });
}

#[test]
fn parallel_threads_each_see_their_own() {
    const THREADS: usize = 16;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let url = format!("db-{i}");
                let fake: &'static Database = Box::leak(Box::new(Database { url: url.clone() }));
                Database::scoped_override(fake, || {
                    barrier.wait();
                    (0..100).all(|_| current_url() == url)
                })
            })
        })
        .collect();
    for handle in handles {
        assert!(handle.join().unwrap());
    }
}

#[test]
fn override_of_a_manual_singleton_needs_no_init() {
    #[singleton(crate = pk, manual)]
    struct Clock(u64);

    static STOPPED: Clock = Clock(42);
    let now = Clock::scoped_override(&STOPPED, || Clock::instance().0);
    assert_eq!(now, 42);
    assert!(!Clock::is_initialized());
}
