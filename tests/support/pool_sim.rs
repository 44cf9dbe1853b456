//! A deterministic simulation for pool tests: a fake server (a [`Manager`] whose connect and
//! queries take time on a [`ManualClock`], and which can be taken down) and a single-threaded
//! executor that runs every task until all wait on the clock, then jumps the clock to the
//! next deadline. Minutes of pool behaviour run in milliseconds, the same way every time.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake, Waker};
use std::time::{Duration, Instant};

use patternkit::pool::{
    Clock, Failure, Manager, ManualClock, Pool, PoolBuilder, PoolFuture, Pooled,
};

/// What the fake server does with a connection attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Up,
    /// Refuses connections (transient).
    Down,
    /// Refuses with a wrong password (permanent).
    WrongPassword,
}

/// A connection to the fake server.
#[derive(Debug)]
pub struct FakeConn {
    pub id: usize,
    pub broken: bool,
}

/// A manager over the fake server: connecting takes `connect` on the clock.
pub struct FakeServer {
    pub clock: ManualClock,
    pub connect: Duration,
    pub server: Mutex<Server>,
    pub opened: AtomicUsize,
    pub checks: AtomicUsize,
    pub open_now: Arc<AtomicUsize>,
    /// Checks fail (the server dropped every connection).
    pub drop_all: AtomicBool,
    /// New connections are broken from the start (the server hangs up after the handshake).
    pub born_broken: AtomicBool,
}

impl FakeServer {
    pub fn new(clock: &ManualClock, connect: Duration) -> Self {
        FakeServer {
            clock: clock.clone(),
            connect,
            server: Mutex::new(Server::Up),
            opened: AtomicUsize::new(0),
            checks: AtomicUsize::new(0),
            open_now: Arc::new(AtomicUsize::new(0)),
            drop_all: AtomicBool::new(false),
            born_broken: AtomicBool::new(false),
        }
    }

    pub fn set(&self, server: Server) {
        *self.server.lock().unwrap() = server;
    }
}

/// The fake connection's server-side count, decremented when it closes.
pub struct Counted {
    pub conn: FakeConn,
    open_now: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.open_now.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Manager for FakeServer {
    type Connection = Counted;
    type Error = String;

    fn create(&self) -> PoolFuture<'_, Result<Counted, String>> {
        let sleep = self.clock.sleep(self.connect);
        Box::pin(async move {
            sleep.await;
            match *self.server.lock().unwrap() {
                Server::Up => {}
                Server::Down => return Err("connection refused".into()),
                Server::WrongPassword => return Err("password authentication failed".into()),
            }
            let id = self.opened.fetch_add(1, Ordering::SeqCst);
            assert!(
                id < 10_000,
                "10,000 connections opened: the pool is spinning"
            );
            self.open_now.fetch_add(1, Ordering::SeqCst);
            Ok(Counted {
                conn: FakeConn {
                    id,
                    broken: self.born_broken.load(Ordering::SeqCst),
                },
                open_now: Arc::clone(&self.open_now),
            })
        })
    }

    fn check<'a>(&'a self, _: &'a mut Counted) -> PoolFuture<'a, Result<(), String>> {
        self.checks.fetch_add(1, Ordering::SeqCst);
        let dropped = self.drop_all.load(Ordering::SeqCst);
        Box::pin(async move {
            if dropped {
                Err("server closed the connection".into())
            } else {
                Ok(())
            }
        })
    }

    fn is_broken(&self, connection: &mut Counted) -> bool {
        connection.conn.broken
    }

    fn classify(&self, error: &String) -> Failure {
        if error.contains("password") {
            Failure::Permanent
        } else {
            Failure::Transient
        }
    }
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `tasks` to completion on one thread, jumping `clock` whenever every task waits on
/// it. Returns the simulated time it took. Panics if the tasks wait on something other than
/// the clock (a lost wake-up would hang a real program: here it fails the test).
pub fn simulate(clock: &ManualClock, tasks: Vec<Task>) -> Duration {
    let start = clock.now();
    let mut tasks: VecDeque<(Task, Arc<Flag>)> = tasks
        .into_iter()
        .map(|t| (t, Arc::new(Flag(AtomicBool::new(true)))))
        .collect();
    while !tasks.is_empty() {
        let mut progressed = false;
        for _ in 0..tasks.len() {
            let Some((mut task, flag)) = tasks.pop_front() else {
                break;
            };
            if flag.0.swap(false, Ordering::SeqCst) {
                progressed = true;
                let waker = Waker::from(Arc::clone(&flag));
                if task
                    .as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_ready()
                {
                    continue;
                }
            }
            tasks.push_back((task, flag));
        }
        if !progressed && !tasks.is_empty() {
            let next: Option<Instant> = clock.next_deadline();
            let Some(next) = next else {
                panic!(
                    "{} tasks wait, and nothing on the clock will wake them",
                    tasks.len()
                );
            };
            clock.advance(next.saturating_duration_since(clock.now()));
        }
    }
    clock.now() - start
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

pub fn pool(clock: &ManualClock, connect: Duration) -> PoolBuilder<FakeServer> {
    Pool::builder(FakeServer::new(clock, connect)).clock(clock.clone())
}

/// `n` tasks that each check out a connection, hold it for `hold`, and record the outcome.
pub fn users(
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

/// Polls `future` once with a no-op waker.
pub fn futures_poll_once<F: std::future::Future>(
    future: std::pin::Pin<&mut F>,
) -> Option<F::Output> {
    let waker = std::task::Waker::noop();
    match future.poll(&mut std::task::Context::from_waker(waker)) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

/// Runs `task` alone in the simulation: its output, and the simulated time it took.
pub fn simulate_one<T: 'static>(
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

pub fn simulate_get<T: 'static>(
    clock: &ManualClock,
    pool: &Pool<FakeServer>,
    with: impl FnOnce(&mut Counted) -> T + 'static,
) -> T {
    let pool = pool.clone();
    simulate_one(clock, async move { with(&mut pool.get().await.unwrap()) }).0
}

pub async fn futures_get(pool: &Pool<FakeServer>, n: usize) -> Vec<Pooled<'_, FakeServer>> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(pool.get().await.unwrap());
    }
    held
}
