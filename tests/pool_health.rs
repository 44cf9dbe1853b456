//! The connection pool's care of its connections, simulated on a manual clock: broken and
//! stale connections, a manager that panics or hangs, configuration mistakes, resize, close,
//! warm-up, reaping, leak reports, and owned checkouts.

#[path = "support/pool_sim.rs"]
mod sim;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::pool::{Clock, Manager, ManualClock, Pool, PoolError, PoolFuture};
use sim::{FakeServer, futures_get, ms, pool, simulate, simulate_get, simulate_one, users};

#[test]
fn broken_and_dead_connections_are_never_handed_out() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1))
        .max_size(2)
        .check_after(ms(100))
        .build()
        .unwrap();
    let first_id = simulate_get(&clock, &pool, |conn| {
        conn.conn.broken = true;
        conn.conn.id
    });
    assert_eq!(pool.status().counters.closed_broken, 1);
    // A new one replaces it.
    let second_id = simulate_get(&clock, &pool, |conn| conn.conn.id);
    assert_ne!(first_id, second_id);
    // The server drops every connection; after `check_after` the idle one is checked,
    // fails, and a fresh one is made.
    pool.manager().drop_all.store(true, Ordering::SeqCst);
    clock.advance(ms(200));
    pool.manager().drop_all.store(false, Ordering::SeqCst);
    let before = pool.manager().checks.load(Ordering::SeqCst);
    pool.manager().drop_all.store(true, Ordering::SeqCst);
    let (third, _) = simulate_one(&clock, {
        let pool = pool.clone();
        async move { pool.get().await.map(|c| c.conn.id) }
    });
    assert!(pool.manager().checks.load(Ordering::SeqCst) > before);
    let third = third.unwrap();
    assert_ne!(third, second_id, "the dead one was discarded");
    assert_eq!(pool.status().counters.closed_check_failed, 1);
    // Used just now: no check on the next checkout.
    let checks = pool.manager().checks.load(Ordering::SeqCst);
    simulate_get(&clock, &pool, |_| ());
    assert_eq!(pool.manager().checks.load(Ordering::SeqCst), checks);
}

#[test]
fn connections_broken_as_soon_as_made_end_in_a_timeout_not_a_spin() {
    let clock = ManualClock::new();
    let pool = pool(&clock, Duration::ZERO)
        .max_size(2)
        .timeout(ms(1000))
        .build()
        .unwrap();
    pool.manager().born_broken.store(true, Ordering::SeqCst);
    let (got, took) = simulate_one(&clock, {
        let pool = pool.clone();
        async move { pool.get().await.map(|c| c.conn.id) }
    });
    let error = got.unwrap_err();
    assert!(
        matches!(&error, PoolError::Timeout { cause: Some(cause), .. } if cause.contains("broken")),
        "{error}"
    );
    assert_eq!(took, ms(1000), "the checkout's deadline, no later");
    // Each new connection that came broken was followed by a backoff, as a refusal is.
    let opened = pool.manager().opened.load(Ordering::SeqCst);
    assert!((2..=12).contains(&opened), "{opened} connections opened");
    assert_eq!(pool.status().counters.closed_broken, opened as u64);
    // The server comes right: the next checkout gets a connection at once.
    pool.manager().born_broken.store(false, Ordering::SeqCst);
    assert_eq!(simulate_get(&clock, &pool, |conn| conn.conn.id), opened);
}

/// A manager that panics, or never answers, when creating.
struct Faulty {
    panics: bool,
}

impl Manager for Faulty {
    type Connection = u8;
    type Error = String;

    fn create(&self) -> PoolFuture<'_, Result<u8, String>> {
        let panics = self.panics;
        Box::pin(async move {
            assert!(!panics, "the driver's bug");
            std::future::pending::<()>().await;
            Ok(0)
        })
    }

    fn check<'a>(&'a self, _: &'a mut u8) -> PoolFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }
}

#[test]
fn a_manager_that_panics_or_hangs_gives_a_clear_error_and_the_pool_stays_usable() {
    let pool = Pool::builder(Faulty { panics: true }).build().unwrap();
    let error = pool.get_blocking().unwrap_err();
    assert!(matches!(&error, PoolError::Panicked(why) if why.contains("the driver's bug")));
    assert_eq!(pool.status().creating, 0);
    let error = pool.get_blocking().unwrap_err();
    assert!(matches!(error, PoolError::Panicked(_)), "still answering");

    let pool = Pool::builder(Faulty { panics: false })
        .create_timeout(ms(30))
        .timeout(ms(100))
        .build()
        .unwrap();
    let error = pool.get_blocking().unwrap_err().to_string();
    assert!(error.contains("no connection within"), "{error}");
    assert!(
        error.contains("creating a connection took longer than 30ms"),
        "{error}"
    );
    assert_eq!(pool.status().creating, 0);
}

#[test]
fn configurations_that_cannot_work_are_refused_with_the_fix() {
    let clock = ManualClock::new();
    let error = pool(&clock, ms(1)).max_size(0).build().err().unwrap();
    assert!(error.to_string().contains("`max_size` is 0"), "{error}");
    let error = pool(&clock, ms(1))
        .max_size(2)
        .min_idle(3)
        .build()
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("`min_idle` (3) is above `max_size` (2)"),
        "{error}"
    );
    let error = pool(&clock, ms(1))
        .timeout(Duration::ZERO)
        .build()
        .err()
        .unwrap();
    assert!(error.to_string().contains("`timeout` is 0"), "{error}");
    let error = pool(&clock, ms(1)).max_creating(0).build().err().unwrap();
    assert!(error.to_string().contains("`max_creating` is 0"), "{error}");
    let error = pool(&clock, ms(1))
        .retry(ms(10), ms(1))
        .build()
        .err()
        .unwrap();
    assert!(error.to_string().contains("retry"), "{error}");
    let built = pool(&clock, ms(1)).max_size(4).min_idle(2).build().unwrap();
    assert!(built.resize(0).is_err());
    assert!(built.resize(1).is_err(), "below min_idle");
}

#[test]
fn resize_close_warm_up_maintain_and_leaks() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1))
        .max_size(4)
        .min_idle(2)
        .idle_timeout(Some(ms(1_000)))
        .max_lifetime(Some(ms(60_000)))
        .leak_threshold(Some(ms(500)))
        .build()
        .unwrap();
    let run = |f: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>| {
        simulate(&clock, vec![f]);
    };
    run(Box::pin({
        let pool = pool.clone();
        async move { pool.warm_up().await.unwrap() }
    }));
    assert_eq!(pool.status().idle, 2);
    // Four in use, then all back: four idle.
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    simulate(&clock, users(&pool, &clock, 4, ms(10), &outcomes));
    assert_eq!(pool.status().idle, 4);
    // Idle past the timeout: reaped, but never below min_idle.
    clock.advance(ms(2_000));
    run(Box::pin({
        let pool = pool.clone();
        async move { pool.maintain().await.unwrap() }
    }));
    assert_eq!(pool.status().idle, 2);
    assert_eq!(pool.status().counters.closed_idle, 2);
    // Past their lifetime: replaced by maintain.
    clock.advance(ms(61_000));
    run(Box::pin({
        let pool = pool.clone();
        async move { pool.maintain().await.unwrap() }
    }));
    assert_eq!(pool.status().counters.closed_lifetime, 2);
    assert_eq!(pool.status().idle, 2);
    // A connection held too long is reported where it was taken.
    let held = block_on(pool.get()).unwrap();
    clock.advance(ms(600));
    let leaks = pool.leaks();
    assert_eq!(leaks.len(), 1);
    assert!(
        leaks[0].1.file().ends_with("pool_health.rs"),
        "{:?}",
        leaks[0].1
    );
    // Resize below what is open: idle ones close now, the held one when it returns.
    pool.resize(2).unwrap();
    assert!(pool.status().size <= 2);
    drop(held);
    assert_eq!(pool.status().size, 2);
    // Close: everything closes, later checkouts are refused.
    let open = Rc::new(RefCell::new(false));
    run(Box::pin({
        let pool = pool.clone();
        let open = Rc::clone(&open);
        async move { *open.borrow_mut() = pool.close(ms(100)).await }
    }));
    assert!(*open.borrow());
    assert_eq!(
        pool.manager().open_now.load(Ordering::SeqCst),
        0,
        "every connection closed"
    );
    assert!(matches!(pool.get_blocking(), Err(PoolError::Closed)));
}

#[test]
fn the_reaper_keeps_min_idle_warm_and_ends_with_the_pool() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1))
        .max_size(4)
        .min_idle(2)
        .idle_timeout(Some(ms(1_000)))
        .build()
        .unwrap();
    let reaper = pool.reaper(ms(500));
    let pool_for_users = pool.clone();
    let clock_for_users = clock.clone();
    let users: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin(async move {
        // The reaper warms the pool up on its first round.
        clock_for_users.sleep(ms(10)).await;
        assert_eq!(pool_for_users.status().idle, 2);
        // Four in use at once, then idle for a while: reaped back to two.
        let held: Vec<_> = futures_get(&pool_for_users, 4).await;
        drop(held);
        assert_eq!(pool_for_users.status().idle, 4);
        clock_for_users.sleep(ms(3_000)).await;
        assert_eq!(pool_for_users.status().idle, 2);
        drop(pool_for_users);
    });
    let dropper: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin({
        let clock = clock.clone();
        async move {
            clock.sleep(ms(4_000)).await;
            drop(pool);
        }
    });
    // The simulation ends only if the reaper stops once the pool is gone.
    simulate(&clock, vec![Box::pin(reaper), users, dropper]);
}

#[test]
fn a_reaper_asked_to_run_without_pause_still_gives_its_thread_back() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let clock = ManualClock::new();
        let pool = pool(&clock, ms(1)).min_idle(1).build().unwrap();
        let reaper = pool.reaper(Duration::ZERO);
        let dropper: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin({
            let clock = clock.clone();
            async move {
                clock.sleep(ms(50)).await;
                drop(pool);
            }
        });
        let took = simulate(&clock, vec![Box::pin(reaper), dropper]);
        let _ = done.send(took);
    });
    let took = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the reaper never yielded");
    assert!(took >= ms(50), "{took:?}");
}

#[test]
fn an_owned_checkout_outlives_the_borrow_and_still_comes_back() {
    let clock = ManualClock::new();
    let pool = pool(&clock, Duration::ZERO)
        .max_size(1)
        .leak_threshold(Some(ms(10)))
        .build()
        .unwrap();
    let (owned, line) = simulate_owned(&clock, &pool);
    let id = owned.conn.id;
    clock.advance(ms(20));
    let leaks = pool.leaks();
    assert_eq!(leaks.len(), 1);
    assert_eq!(
        leaks[0].1.line(),
        line,
        "the checkout is traced to the caller's line"
    );
    // Moved to a thread that may outlive this borrow of the pool.
    let worker = std::thread::spawn(move || owned.conn.id);
    assert_eq!(worker.join().unwrap(), id);
    let status = pool.status();
    assert_eq!((status.idle, status.in_use), (1, 0), "{status:?}");
    assert_eq!(
        simulate_get(&clock, &pool, |conn| conn.conn.id),
        id,
        "the same one again"
    );

    // A checkout that outlives every handle keeps the pool alive until it is dropped; then
    // the pool and its connections close.
    let (owned, _) = simulate_owned(&clock, &pool);
    let open_now = std::sync::Arc::clone(&pool.manager().open_now);
    drop(pool);
    assert_eq!(open_now.load(Ordering::SeqCst), 1);
    drop(owned);
    assert_eq!(open_now.load(Ordering::SeqCst), 0);
}

/// An owned checkout through the simulation, with the line it was made on.
fn simulate_owned(
    clock: &ManualClock,
    pool: &Pool<FakeServer>,
) -> (patternkit::pool::Pooled<'static, FakeServer>, u32) {
    let pool = pool.clone();
    simulate_one(
        clock,
        async move { (pool.get_owned().await.unwrap(), line!()) },
    )
    .0
}
