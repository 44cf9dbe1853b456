//! The connection pool, simulated deterministically on a manual clock: `HikariCP`'s spike test,
//! an outage and a flapping server, lazy growth, FIFO hand-over, cancellation, broken and
//! stale connections, failures to create (transient, permanent, panicking, hanging),
//! configuration mistakes, resize, close, warm-up, reaping and leak reports.

#[path = "support/pool_sim.rs"]
mod sim;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::pool::{Clock, Manager, ManualClock, Pool, PoolError, PoolFuture};
use sim::{FakeServer, Server, simulate};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn pool(clock: &ManualClock, connect: Duration) -> patternkit::pool::PoolBuilder<FakeServer> {
    Pool::builder(FakeServer::new(clock, connect)).clock(clock.clone())
}

/// `n` tasks that each check out a connection, hold it for `hold`, and record the outcome.
fn users(
    pool: &Pool<FakeServer>,
    clock: &ManualClock,
    n: usize,
    hold: Duration,
    outcomes: &Rc<RefCell<Vec<Result<(), String>>>>,
) -> Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>> {
    (0..n)
        .map(|_| {
            let pool = pool.clone();
            let clock = clock.clone();
            let outcomes = Rc::clone(outcomes);
            let task: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> =
                Box::pin(async move {
                    let outcome = match pool.get().await {
                        Ok(conn) => {
                            clock.sleep(hold).await;
                            drop(conn);
                            Ok(())
                        }
                        Err(error) => Err(error.to_string()),
                    };
                    outcomes.borrow_mut().push(outcome);
                });
            task
        })
        .collect()
}

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

/// Polls `future` once with a no-op waker.
fn futures_poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    let waker = std::task::Waker::noop();
    match future.poll(&mut std::task::Context::from_waker(waker)) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

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

/// Runs `task` alone in the simulation: its output, and the simulated time it took.
fn simulate_one<T: 'static>(
    clock: &ManualClock,
    task: impl std::future::Future<Output = T> + 'static,
) -> (T, Duration) {
    let out = Rc::new(RefCell::new(None));
    let took = simulate(
        clock,
        vec![Box::pin({
            let out = Rc::clone(&out);
            async move { *out.borrow_mut() = Some(task.await) }
        })],
    );
    let output = out.borrow_mut().take();
    (output.expect("the task finished"), took)
}

fn simulate_get<T: 'static>(
    clock: &ManualClock,
    pool: &Pool<FakeServer>,
    with: impl FnOnce(&mut sim::Counted) -> T + 'static,
) -> T {
    let pool = pool.clone();
    simulate_one(clock, async move { with(&mut pool.get().await.unwrap()) }).0
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
    assert!(leaks[0].1.file().ends_with("pool.rs"), "{:?}", leaks[0].1);
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

async fn futures_get(
    pool: &Pool<FakeServer>,
    n: usize,
) -> Vec<patternkit::pool::Pooled<'_, FakeServer>> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(pool.get().await.unwrap());
    }
    held
}
