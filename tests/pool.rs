//! The connection pool under load, simulated deterministically on a manual clock: `HikariCP`'s
//! spike test, lazy growth, FIFO hand-over, timeouts (the pool's and a caller's own), an
//! outage and a flapping server, permanent failures, cancellation, and threads sharing a pool.

#[path = "support/pool_sim.rs"]
mod sim;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use std::sync::atomic::Ordering;

use patternkit::pool::{Clock, ManualClock, Pool, PoolError};
use sim::{Server, futures_poll_once, ms, pool, simulate, users};

#[test]
fn the_spike_test_ends_with_no_more_than_one_connection_beyond_the_warm_ones() {
    // `HikariCP`'s spike test: 50 requests at once, 150 ms to connect, 2 ms per query, max 50,
    // min idle 5. Pools that open a connection per waiter end with 45.
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(150))
        .max_size(50)
        .min_idle(5)
        .build()
        .unwrap();
    simulate(
        &clock,
        vec![Box::pin({
            let pool = pool.clone();
            async move { pool.warm_up().await.unwrap() }
        })],
    );
    assert_eq!(pool.status().idle, 5);
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let took = simulate(&clock, users(&pool, &clock, 50, ms(2), &outcomes));
    assert!(outcomes.borrow().iter().all(Result::is_ok));
    let status = pool.status();
    assert!(status.size <= 6, "{status:?}");
    // The one request that created waited for its connection (150 ms); the others were
    // served by returns.
    assert!(took <= ms(160), "{took:?}");
    assert_eq!(status.in_use, 0);
}

#[test]
fn waiters_are_served_in_the_order_they_came() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1)).max_size(1).build().unwrap();
    let order = Rc::new(RefCell::new(Vec::new()));
    let tasks = (0..5)
        .map(|n| {
            let pool = pool.clone();
            let clock = clock.clone();
            let order = Rc::clone(&order);
            let task: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> =
                Box::pin(async move {
                    let conn = pool.get().await.unwrap();
                    order.borrow_mut().push(n);
                    clock.sleep(ms(10)).await;
                    drop(conn);
                });
            task
        })
        .collect();
    simulate(&clock, tasks);
    assert_eq!(*order.borrow(), [0, 1, 2, 3, 4]);
    assert_eq!(pool.status().counters.created, 1);
}

#[test]
fn a_full_pool_times_out_saying_every_connection_was_in_use() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1))
        .max_size(1)
        .timeout(ms(100))
        .build()
        .unwrap();
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let took = simulate(&clock, users(&pool, &clock, 2, ms(500), &outcomes));
    let outcomes = outcomes.borrow();
    assert!(outcomes.contains(&Ok(())));
    let error = outcomes.iter().find_map(|o| o.clone().err()).unwrap();
    assert!(error.contains("no connection within 100ms"), "{error}");
    assert!(error.contains("every connection was in use"), "{error}");
    assert!(took >= ms(500));
    assert_eq!(pool.status().counters.timed_out, 1);
}

#[test]
fn a_caller_may_wait_less_than_the_pool_and_leaves_the_line_for_the_others() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1)).max_size(1).build().unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    let task = |name: &'static str, wait: Option<Duration>, start: Duration| {
        let (pool, clock, log) = (pool.clone(), clock.clone(), Rc::clone(&log));
        let task: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin(async move {
            clock.sleep(start).await;
            let begun = clock.now();
            let got = match wait {
                Some(wait) => pool.get_timeout(wait).await,
                None => pool.get().await,
            };
            let waited = clock.now() - begun;
            log.borrow_mut().push((name, got.is_ok(), waited));
            if let Ok(conn) = got {
                clock.sleep(ms(100)).await;
                drop(conn);
            }
        });
        task
    };
    let tasks = vec![
        task("holder", None, Duration::ZERO),
        task("impatient", Some(ms(30)), ms(10)),
        task("patient", None, ms(20)),
        task("now or never", Some(Duration::ZERO), ms(50)),
    ];
    simulate(&clock, tasks);
    let log = log.borrow();
    assert_eq!(
        *log,
        [
            ("holder", true, ms(1)),
            ("impatient", false, ms(30)),
            ("now or never", false, Duration::ZERO),
            ("patient", true, ms(81)),
        ]
    );
    assert_eq!(pool.status().counters.timed_out, 2);
    assert_eq!(pool.status().waiting, 0);
}

#[test]
fn an_outage_gives_every_waiter_an_answer_within_its_timeout_and_the_pool_recovers() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(20))
        .max_size(4)
        .timeout(ms(1_000))
        .check_after(Duration::ZERO)
        .build()
        .unwrap();
    pool.manager().set(Server::Down);
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let took = simulate(&clock, users(&pool, &clock, 10, ms(5), &outcomes));
    assert!(
        took <= ms(1_050),
        "every waiter answered within its timeout: {took:?}"
    );
    let outcomes = outcomes.borrow().clone();
    assert_eq!(outcomes.len(), 10);
    for outcome in &outcomes {
        let error = outcome.clone().unwrap_err();
        assert!(
            error.contains("connection refused"),
            "the cause is kept: {error}"
        );
    }
    // Back up: the next checkouts succeed, nothing is left counted as creating.
    pool.manager().set(Server::Up);
    assert_eq!(pool.status().creating, 0);
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    simulate(&clock, users(&pool, &clock, 10, ms(5), &outcomes));
    assert!(outcomes.borrow().iter().all(Result::is_ok));
}

#[test]
fn a_flapping_server_is_ridden_out_by_retries_within_the_timeout() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(10))
        .max_size(2)
        .timeout(ms(2_000))
        .retry(ms(20), ms(200))
        .build()
        .unwrap();
    let server = Rc::new(());
    let flapper: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin({
        let pool = pool.clone();
        let clock = clock.clone();
        let _server = Rc::clone(&server);
        async move {
            for up in [false, true, false, true, false, true] {
                pool.manager()
                    .set(if up { Server::Up } else { Server::Down });
                clock.sleep(ms(150)).await;
            }
            pool.manager().set(Server::Up);
        }
    });
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let mut tasks = users(&pool, &clock, 8, ms(30), &outcomes);
    tasks.push(flapper);
    simulate(&clock, tasks);
    assert_eq!(outcomes.borrow().len(), 8);
    assert!(
        outcomes.borrow().iter().all(Result::is_ok),
        "{:?}",
        outcomes.borrow()
    );
}

#[test]
fn a_permanent_failure_is_reported_at_once_with_its_cause() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(5)).timeout(ms(30_000)).build().unwrap();
    pool.manager().set(Server::WrongPassword);
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let took = simulate(&clock, users(&pool, &clock, 1, ms(1), &outcomes));
    assert!(took < ms(100), "not after the 30 s timeout: {took:?}");
    let error = outcomes.borrow()[0].clone().unwrap_err();
    assert!(error.contains("password authentication failed"), "{error}");
    assert_eq!(pool.status().creating, 0);
}

#[test]
fn a_dropped_checkout_gives_back_what_it_was_handed_and_leaves_the_line() {
    let clock = ManualClock::new();
    let pool = pool(&clock, ms(1)).max_size(1).build().unwrap();
    simulate(
        &clock,
        vec![Box::pin({
            let pool = pool.clone();
            let clock = clock.clone();
            async move {
                let held = pool.get().await.unwrap();
                let mut waiting = Box::pin(pool.get());
                // Poll once: it queues.
                assert!(futures_poll_once(waiting.as_mut()).is_none());
                assert_eq!(pool.status().waiting, 1);
                drop(held); // handed straight to the waiter…
                drop(waiting); // …which is dropped before it looks
                assert_eq!(pool.status().waiting, 0);
                assert_eq!(pool.status().idle, 1, "the connection came back");
                clock.sleep(ms(1)).await;
            }
        })],
    );
    assert_eq!(pool.status().in_use, 0);
    assert_eq!(pool.status().size, 1);
}

#[test]
fn threads_share_a_pool_through_the_blocking_front_end() {
    let pool = Pool::builder(sim::FakeServer::new(&ManualClock::new(), Duration::ZERO))
        .max_size(3)
        .build()
        .unwrap();
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                for _ in 0..200 {
                    let conn = pool.get_blocking().unwrap();
                    std::hint::black_box(&conn.conn.id);
                }
            });
        }
    });
    let status = pool.status();
    assert!(status.size <= 3, "{status:?}");
    assert_eq!(status.in_use, 0);
    assert_eq!(status.waiting, 0);
}

#[test]
fn try_get_takes_an_idle_connection_or_nothing_and_never_waits_or_creates() {
    let clock = ManualClock::new();
    let pool = Pool::builder(sim::FakeServer::new(&clock, Duration::ZERO))
        .max_size(2)
        .clock(clock.clone())
        .build()
        .unwrap();
    assert!(pool.try_get().unwrap().is_none());
    assert_eq!(pool.status().size, 0, "nothing was created");
    drop((pool.get_blocking().unwrap(), pool.get_blocking().unwrap()));
    assert_eq!(pool.status().idle, 2);

    let first = pool.try_get().unwrap().expect("an idle one");
    let second = pool.try_get().unwrap().expect("the other idle one");
    assert!(pool.try_get().unwrap().is_none(), "both in use: no wait");
    let status = pool.status();
    assert_eq!((status.size, status.in_use, status.waiting), (2, 2, 0));
    assert_eq!(
        pool.manager().checks.load(Ordering::SeqCst),
        0,
        "used just now"
    );
    drop((first, second));

    // Idle past `check_after`, and the server dropped them: each is checked, fails, and is
    // closed, and the caller gets nothing rather than a dead connection.
    clock.advance(ms(1_000));
    pool.manager().drop_all.store(true, Ordering::SeqCst);
    assert!(pool.try_get().unwrap().is_none());
    let status = pool.status();
    assert_eq!((status.size, status.counters.closed_check_failed), (0, 2));

    patternkit::cqrs::block_on(pool.close(Duration::ZERO));
    assert!(matches!(pool.try_get(), Err(PoolError::Closed)));
}
