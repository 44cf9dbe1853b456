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
    let seen = Database::scoped_override(
        Database {
            url: "sqlite::memory:".into(),
        },
        current_url,
    );
    assert_eq!(seen, "sqlite::memory:");
    assert_eq!(current_url(), "postgres://prod");
}

#[test]
fn overrides_nest_and_unwind() {
    let outer = Database {
        url: "outer".into(),
    };
    Database::scoped_override(outer, || {
        assert_eq!(current_url(), "outer");
        let inner = Database {
            url: "inner".into(),
        };
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
                Database::scoped_override(Database { url: url.clone() }, || {
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

    let now = Clock::scoped_override(Clock(42), || Clock::instance().0);
    assert_eq!(now, 42);
    assert!(!Clock::is_initialized());
}
