//! A connection pool (the Object Pool pattern): at most `max_size` connections, created
//! lazily — only when no idle one is free and nothing is already being created for the
//! waiters in line — kept warm down to `min_idle`, checked before reuse unless used very
//! recently, closed when idle too long or too old, and handed from a returning user straight
//! to the longest waiter.
//!
//! ```
//! use patternkit::pool::{Manager, Pool, PoolFuture};
//! use patternkit::cqrs::block_on;
//!
//! struct Numbers;
//!
//! impl Manager for Numbers {
//!     type Connection = u32;
//!     type Error = String;
//!
//!     fn create(&self) -> PoolFuture<'_, Result<u32, String>> {
//!         Box::pin(async { Ok(7) })
//!     }
//!
//!     fn check<'a>(&'a self, _: &'a mut u32) -> PoolFuture<'a, Result<(), String>> {
//!         Box::pin(async { Ok(()) })
//!     }
//! }
//!
//! let pool = Pool::builder(Numbers).max_size(4).build().unwrap();
//! block_on(async {
//!     let connection = pool.get().await.unwrap();
//!     assert_eq!(*connection, 7);
//! }); // dropped: back in the pool
//! assert_eq!(pool.status().idle, 1);
//! ```
//!
//! It runs on any executor: nothing is spawned. A checkout that may create a connection
//! creates it itself; waiters are woken by returns, by permission to create, or by their
//! deadline. [`Pool::get_blocking`] is the same checkout for threads. Reaping and keeping
//! `min_idle` warm happen on [`Pool::maintain`], which the application calls periodically
//! (the database crates' pools do it on a task of their own), and on every return.

mod clock;
mod config;
mod error;
mod manager;
mod pooled;
mod state;
mod status;

use core::future::Future;
use core::task::{Poll, Waker};
use std::panic::{AssertUnwindSafe, Location};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::task::Wake;
use std::time::{Duration, Instant};

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::PoolBuilder;
pub use error::{ConfigError, PoolError};
pub use manager::{Failure, Manager, PoolFuture};
pub use pooled::Pooled;
pub use status::{Counters, Status};

use clock::until;
use config::Config;
use state::{After, Closed, Conn, Held, Slot, State, Step, Waiter, lock};

/// The waiters' handle, loom's under `--cfg loom`.
type WaiterRef<C> = state::Arc<Waiter<C>>;

/// A pool of connections made by a [`Manager`]. Cloning it is cheap and shares the pool.
pub struct Pool<M: Manager> {
    shared: Arc<Shared<M>>,
}

impl<M: Manager> Clone for Pool<M> {
    fn clone(&self) -> Self {
        Pool {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<M: Manager> {
    manager: M,
    config: Config,
    clock: Arc<dyn Clock>,
    state: state::Mutex<State<M::Connection>>,
    random: AtomicU64,
    /// Checkouts that waited, and for how long in all (nanoseconds): kept outside the lock.
    waits: AtomicU64,
    wait_nanos: AtomicU64,
}

impl<M: Manager> Shared<M> {
    /// Arms the pool's one timer for `at`.
    fn arm(self: &Arc<Self>, at: Instant) {
        let expiry = Expiry {
            shared: Arc::downgrade(self),
            at,
        };
        self.clock.wake_at(at, Waker::from(Arc::new(expiry)));
    }

    /// The timer armed for `fired` went off: waiters past their deadline are told, and the
    /// timer is armed for the next one.
    fn expire(self: &Arc<Self>, fired: Instant) {
        let now = self.clock.now();
        let (after, next) = lock(&self.state).expire(fired, now);
        after.run();
        if let Some(at) = next {
            self.arm(at);
        }
    }
}

/// What the pool's timer wakes: the expiry of the waiters in line.
struct Expiry<M: Manager> {
    shared: Weak<Shared<M>>,
    at: Instant,
}

impl<M: Manager> Wake for Expiry<M> {
    fn wake(self: Arc<Self>) {
        if let Some(shared) = self.shared.upgrade() {
            shared.expire(self.at);
        }
    }
}

/// How a wait in line ended.
enum Woken<C> {
    Ready(Conn<C>),
    Create,
    Closed,
    TimedOut,
}

impl<M: Manager> Pool<M> {
    /// Starts configuring a pool of `manager`'s connections.
    pub fn builder(manager: M) -> PoolBuilder<M> {
        PoolBuilder::new(manager)
    }

    pub(crate) fn from_parts(manager: M, config: Config, clock: Arc<dyn Clock>) -> Self {
        let nanos = Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id());
        let seed = u64::try_from(nanos % u128::from(u64::MAX)).unwrap_or(1) ^ 0x9e37_79b9_7f4a_7c15;
        Pool {
            shared: Arc::new(Shared {
                state: state::Mutex::new(State::new(config.max_size, config.max_creating)),
                manager,
                config,
                clock,
                random: AtomicU64::new(seed | 1),
                waits: AtomicU64::new(0),
                wait_nanos: AtomicU64::new(0),
            }),
        }
    }

    /// The manager.
    #[must_use]
    pub fn manager(&self) -> &M {
        &self.shared.manager
    }

    /// Checks out a connection: an idle one (checked first unless it was used within
    /// `check_after`), else a new one if the pool may grow, else the first one returned
    /// after the waiters ahead. Dropping the future gives back whatever it was handed.
    ///
    /// # Errors
    ///
    /// [`PoolError::Timeout`] after the pool's `timeout` (with the last failure to create,
    /// if any), [`PoolError::Create`] at once for a permanent failure to create,
    /// [`PoolError::Panicked`] if the manager panicked, [`PoolError::Closed`].
    #[track_caller]
    pub fn get(
        &self,
    ) -> impl Future<Output = Result<Pooled<'_, M>, PoolError<M::Error>>> + Send + '_ {
        let by = Location::caller();
        self.checkout(by, self.shared.config.timeout)
    }

    /// [`get`](Pool::get) with a timeout of its own instead of the pool's: how long this
    /// caller will wait, creation and retries included. A zero timeout takes a connection only
    /// if one is ready now.
    ///
    /// ```
    /// # use patternkit::pool::{Manager, Pool, PoolError, PoolFuture};
    /// # struct Numbers;
    /// # impl Manager for Numbers {
    /// #     type Connection = u32;
    /// #     type Error = String;
    /// #     fn create(&self) -> PoolFuture<'_, Result<u32, String>> { Box::pin(async { Ok(7) }) }
    /// #     fn check<'a>(&'a self, _: &'a mut u32) -> PoolFuture<'a, Result<(), String>> {
    /// #         Box::pin(async { Ok(()) })
    /// #     }
    /// # }
    /// use std::time::Duration;
    /// use patternkit::cqrs::block_on;
    ///
    /// let pool = Pool::builder(Numbers).max_size(1).build()?;
    /// let held = pool.get_blocking()?;
    /// // The only connection is in use: a caller that will not wait is told at once.
    /// let busy = block_on(pool.get_timeout(Duration::ZERO));
    /// assert!(matches!(busy, Err(PoolError::Timeout { .. })));
    /// drop(held);
    /// assert_eq!(*block_on(pool.get_timeout(Duration::ZERO))?, 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Pool::get), with [`PoolError::Timeout`] after `timeout`.
    #[track_caller]
    pub fn get_timeout(
        &self,
        timeout: Duration,
    ) -> impl Future<Output = Result<Pooled<'_, M>, PoolError<M::Error>>> + Send + '_ {
        let by = Location::caller();
        self.checkout(by, timeout)
    }

    /// [`get`](Pool::get), giving a connection that holds a handle to the pool instead of
    /// borrowing it, so it is `'static`: kept in a struct, or moved into a spawned task.
    /// It costs a reference count more than `get`.
    ///
    /// ```
    /// # use patternkit::pool::{Manager, Pool, PoolFuture};
    /// # struct Numbers;
    /// # impl Manager for Numbers {
    /// #     type Connection = u32;
    /// #     type Error = String;
    /// #     fn create(&self) -> PoolFuture<'_, Result<u32, String>> { Box::pin(async { Ok(7) }) }
    /// #     fn check<'a>(&'a self, _: &'a mut u32) -> PoolFuture<'a, Result<(), String>> {
    /// #         Box::pin(async { Ok(()) })
    /// #     }
    /// # }
    /// let pool = Pool::builder(Numbers).max_size(2).build()?;
    /// let connection = patternkit::cqrs::block_on(pool.get_owned())?;
    /// // Outlives the borrow of `pool`: the thread may run longer than this function.
    /// let worker = std::thread::spawn(move || *connection + 1);
    /// assert_eq!(worker.join().unwrap(), 8);
    /// assert_eq!(pool.status().idle, 1); // back in the pool when the thread dropped it
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Pool::get).
    #[track_caller]
    pub fn get_owned(
        &self,
    ) -> impl Future<Output = Result<Pooled<'static, M>, PoolError<M::Error>>> + Send + '_ {
        let by = Location::caller();
        async move {
            self.checkout(by, self.shared.config.timeout)
                .await
                .map(Pooled::into_owned)
        }
    }

    /// [`get`](Pool::get) for a thread: blocks until it has a connection or an error. Not
    /// for use inside an async task.
    ///
    /// # Errors
    ///
    /// As [`get`](Pool::get).
    #[track_caller]
    pub fn get_blocking(&self) -> Result<Pooled<'_, M>, PoolError<M::Error>> {
        let by = Location::caller();
        crate::cqrs::block_on(self.checkout(by, self.shared.config.timeout))
    }

    async fn checkout(
        &self,
        by: &'static Location<'static>,
        timeout: Duration,
    ) -> Result<Pooled<'_, M>, PoolError<M::Error>> {
        let shared = &*self.shared;
        let mut first: Option<(Instant, Instant)> = None;
        let mut backoff = shared.config.retry_base;
        loop {
            let mut now = shared.clock.now();
            let (started, until) = *first.get_or_insert((now, now + timeout));
            let step = lock(&shared.state).checkout(until);
            let (conn, made) = match step {
                Step::Take(conn) => (conn, false),
                Step::Closed => return Err(PoolError::Closed),
                Step::Create => (self.create_for_checkout(until).await?, true),
                Step::Wait(waiter, arm) => {
                    if let Some(at) = arm {
                        self.shared.arm(at);
                    }
                    let woken = self.wait(&waiter).await;
                    now = shared.clock.now();
                    self.count_wait(now.saturating_duration_since(started));
                    match woken {
                        Woken::Ready(conn) => (conn, false),
                        Woken::Create => (self.create_for_checkout(until).await?, true),
                        Woken::Closed => return Err(PoolError::Closed),
                        Woken::TimedOut => return Err(self.timed_out(started)),
                    }
                }
            };
            if let Some(conn) = self.usable(conn, now).await? {
                if shared.config.leak_threshold.is_some() {
                    lock(&shared.state).hold(Held {
                        id: conn.id,
                        since: now,
                        by,
                    });
                }
                return Ok(Pooled::new(conn, self, now));
            }
            // The connection was closed instead. Stale idle ones are drained at once; one
            // rejected as soon as it was made means the server is refusing, so the next
            // attempt waits as after a failure to create, and none goes past the deadline.
            let now = shared.clock.now();
            if now >= until {
                return Err(self.timed_out(started));
            }
            if made {
                shared
                    .clock
                    .sleep(self.jitter(backoff).min(until - now))
                    .await;
                backoff = (backoff * 2).min(shared.config.retry_max);
            }
        }
    }

    /// `conn` if it may be handed out: not past its lifetime, not known to be broken, and
    /// checked unless used within `check_after`. Otherwise it is closed and the checkout goes on.
    async fn usable(
        &self,
        mut conn: Conn<M::Connection>,
        now: Instant,
    ) -> Result<Option<Conn<M::Connection>>, PoolError<M::Error>> {
        let shared = &*self.shared;
        if conn.expires.is_some_and(|at| at <= now) {
            self.close_in_use(conn, Closed::Lifetime);
            return Ok(None);
        }
        if shared.manager.is_broken(&mut conn.value) {
            lock(&shared.state).last_error = Some("the manager found the connection broken".into());
            self.close_in_use(conn, Closed::Broken);
            return Ok(None);
        }
        if now.saturating_duration_since(conn.last_used) < shared.config.check_after {
            return Ok(Some(conn));
        }
        let deadline = now + shared.config.check_timeout;
        let check = catch_unwind(shared.manager.check(&mut conn.value));
        match until(&*shared.clock, deadline, check).await {
            Some(Ok(Ok(()))) => Ok(Some(conn)),
            Some(Ok(Err(error))) => {
                lock(&shared.state).last_error = Some(error.to_string());
                self.close_in_use(conn, Closed::CheckFailed);
                Ok(None)
            }
            None => {
                lock(&shared.state).last_error = Some("checking a connection timed out".into());
                self.close_in_use(conn, Closed::CheckFailed);
                Ok(None)
            }
            Some(Err(panic)) => {
                self.close_in_use(conn, Closed::CheckFailed);
                Err(PoolError::Panicked(panic))
            }
        }
    }

    fn close_in_use(&self, conn: Conn<M::Connection>, why: Closed) {
        let after = lock(&self.shared.state).forget(conn.id, why);
        drop(conn.value);
        after.run();
    }

    /// Waits in line until handed something, or told the pool closed or the deadline
    /// passed; gives back what it was handed if dropped meanwhile.
    async fn wait(&self, waiter: &WaiterRef<M::Connection>) -> Woken<M::Connection> {
        let mut line = InLine {
            pool: self,
            waiter,
            done: false,
        };
        let woken = core::future::poll_fn(|cx| {
            let mut slot = lock(&waiter.slot);
            match core::mem::replace(&mut *slot, Slot::Closed) {
                Slot::Waiting(_) => {
                    *slot = Slot::Waiting(Some(cx.waker().clone()));
                    Poll::Pending
                }
                Slot::Ready(conn) => Poll::Ready(Woken::Ready(conn)),
                Slot::Create => Poll::Ready(Woken::Create),
                Slot::Closed => Poll::Ready(Woken::Closed),
                Slot::TimedOut => Poll::Ready(Woken::TimedOut),
            }
        })
        .await;
        line.done = true;
        woken
    }

    /// Creates a connection for this checkout (already counted as creating), retrying
    /// transient failures with backoff until the checkout's deadline.
    async fn create_for_checkout(
        &self,
        until_at: Instant,
    ) -> Result<Conn<M::Connection>, PoolError<M::Error>> {
        let shared = &*self.shared;
        let started = shared.clock.now();
        let mut creating = Creating {
            pool: self,
            done: false,
        };
        let mut backoff = shared.config.retry_base;
        loop {
            let attempt_ends = until_at.min(shared.clock.now() + shared.config.create_timeout);
            let made = until(
                &*shared.clock,
                attempt_ends,
                catch_unwind(shared.manager.create()),
            )
            .await;
            let error = match made {
                Some(Ok(Ok(value))) => {
                    creating.done = true;
                    let conn = self.wrap(value);
                    let mut state = lock(&shared.state);
                    state.counters.create_time +=
                        shared.clock.now().saturating_duration_since(started);
                    let after = state.created(true, None);
                    drop(state);
                    after.run();
                    return Ok(conn);
                }
                Some(Ok(Err(error))) => {
                    if shared.manager.classify(&error) == Failure::Permanent {
                        creating.done = true;
                        lock(&shared.state)
                            .created(false, Some(error.to_string()))
                            .run();
                        return Err(PoolError::Create(error));
                    }
                    error.to_string()
                }
                Some(Err(panic)) => {
                    creating.done = true;
                    lock(&shared.state)
                        .created(false, Some(format!("the manager panicked: {panic}")))
                        .run();
                    return Err(PoolError::Panicked(panic));
                }
                // Cut short by the checkout's own deadline: the last real failure stands.
                None if shared.clock.now() >= until_at => {
                    creating.done = true;
                    lock(&shared.state).created(false, None).run();
                    return Err(self.timed_out(started));
                }
                None => format!(
                    "creating a connection took longer than {:?}",
                    shared.config.create_timeout
                ),
            };
            lock(&shared.state).last_error = Some(error);
            let now = shared.clock.now();
            if now >= until_at {
                creating.done = true;
                lock(&shared.state).created(false, None).run();
                return Err(self.timed_out(started));
            }
            let wait = self.jitter(backoff).min(until_at - now);
            shared.clock.sleep(wait).await;
            backoff = (backoff * 2).min(shared.config.retry_max);
        }
    }

    /// A new connection's bookkeeping: its id and its jittered end of life.
    fn wrap(&self, value: M::Connection) -> Conn<M::Connection> {
        let shared = &*self.shared;
        let now = shared.clock.now();
        let expires = shared.config.max_lifetime.map(|life| {
            // 1.25 to 2.5 % earlier, so connections made together do not close together.
            let spread = life / 40;
            now + life.saturating_sub(self.jitter(spread.max(Duration::from_nanos(1))))
        });
        Conn {
            value,
            id: lock(&shared.state).new_id(),
            expires,
            last_used: now,
        }
    }

    /// A random duration in `[max / 2, max]`.
    fn jitter(&self, max: Duration) -> Duration {
        let mut x = self.shared.random.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.shared.random.store(x, Ordering::Relaxed);
        let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX).max(1);
        Duration::from_nanos(nanos / 2 + x % (nanos / 2 + 1))
    }

    fn timed_out(&self, started: Instant) -> PoolError<M::Error> {
        let mut state = lock(&self.shared.state);
        state.counters.timed_out += 1;
        PoolError::Timeout {
            waited: self.shared.clock.now().saturating_duration_since(started),
            cause: state.last_error.clone(),
        }
    }

    fn count_wait(&self, waited: Duration) {
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        self.shared.waits.fetch_add(1, Ordering::Relaxed);
        self.shared.wait_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// A connection comes back from its user.
    fn give_back(&self, mut conn: Conn<M::Connection>, taken: Instant) {
        // The clock is not read here: a checkout cycle reads it once, when the connection is
        // taken. Idle time and the lifetime count from that moment (the lifetime is checked
        // again when the connection is next handed out); hold times are measured only when
        // leaks are tracked.
        let shared = &*self.shared;
        let closing = if shared.manager.is_broken(&mut conn.value) {
            Some(Closed::Broken)
        } else if conn.expires.is_some_and(|at| at <= taken) {
            Some(Closed::Lifetime)
        } else {
            None
        };
        conn.last_used = taken;
        let held = shared
            .config
            .leak_threshold
            .map(|_| shared.clock.now().saturating_duration_since(taken));
        let mut state = lock(&shared.state);
        if let Some(held) = held {
            state.counters.hold_time += held;
        }
        let after = state.give_back(conn, closing);
        drop(state);
        after.run();
    }

    /// A snapshot of the pool's size and counters.
    #[must_use]
    pub fn status(&self) -> Status {
        let state = lock(&self.shared.state);
        Status {
            size: state.size(),
            idle: state.idle.len(),
            in_use: state.in_use,
            creating: state.creating,
            waiting: state.waiters.len(),
            max_size: state.max_size,
            closed: state.closed,
            counters: Counters {
                waited: self.shared.waits.load(Ordering::Relaxed),
                wait_time: Duration::from_nanos(self.shared.wait_nanos.load(Ordering::Relaxed)),
                ..state.counters.clone()
            },
        }
    }

    /// Connections held longer than the pool's `leak_threshold`: how long, and where
    /// [`get`](Pool::get) was called. Empty when no threshold is set.
    #[must_use]
    pub fn leaks(&self) -> Vec<(Duration, &'static Location<'static>)> {
        let Some(threshold) = self.shared.config.leak_threshold else {
            return Vec::new();
        };
        let now = self.shared.clock.now();
        lock(&self.shared.state)
            .held
            .iter()
            .map(|h| (now.saturating_duration_since(h.since), h.by))
            .filter(|(held, _)| *held >= threshold)
            .collect()
    }

    /// Changes `max_size` now: idle connections beyond it close at once, those in use when
    /// they come back; waiters may grow the pool into a larger size.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for 0 or a size below `min_idle`.
    pub fn resize(&self, max_size: usize) -> Result<(), ConfigError> {
        if max_size == 0 || max_size < self.shared.config.min_idle {
            return Err(ConfigError(format!(
                "cannot resize to {max_size}: the size must be at least 1 and at least \
                 `min_idle` ({})",
                self.shared.config.min_idle
            )));
        }
        let after = lock(&self.shared.state).resize(max_size);
        after.run();
        Ok(())
    }

    /// Opens connections until `min_idle` are idle (or the pool is full).
    ///
    /// # Errors
    ///
    /// The first failure to create one.
    pub async fn warm_up(&self) -> Result<(), PoolError<M::Error>> {
        let shared = &*self.shared;
        loop {
            {
                let mut state = lock(&shared.state);
                if state.closed {
                    return Err(PoolError::Closed);
                }
                if state.idle.len() + state.creating >= shared.config.min_idle
                    || state.size() >= state.max_size
                {
                    return Ok(());
                }
                state.creating += 1;
            }
            let mut creating = Creating {
                pool: self,
                done: false,
            };
            let deadline = shared.clock.now() + shared.config.create_timeout;
            let made = until(
                &*shared.clock,
                deadline,
                catch_unwind(shared.manager.create()),
            )
            .await;
            creating.done = true;
            match made {
                Some(Ok(Ok(value))) => {
                    let conn = self.wrap(value);
                    let after = lock(&shared.state).created_idle(conn);
                    after.run();
                }
                Some(Ok(Err(error))) => {
                    lock(&shared.state)
                        .created(false, Some(error.to_string()))
                        .run();
                    return Err(PoolError::Create(error));
                }
                Some(Err(panic)) => {
                    lock(&shared.state)
                        .created(false, Some(panic.clone()))
                        .run();
                    return Err(PoolError::Panicked(panic));
                }
                None => {
                    let why = format!(
                        "creating a connection took longer than {:?}",
                        shared.config.create_timeout
                    );
                    lock(&shared.state).created(false, Some(why.clone())).run();
                    return Err(PoolError::Timeout {
                        waited: shared.config.create_timeout,
                        cause: Some(why),
                    });
                }
            }
        }
    }

    /// Housekeeping, to call every few seconds: closes idle connections past their lifetime
    /// or unused for `idle_timeout` (never below `min_idle`), then opens new ones up to
    /// `min_idle`.
    ///
    /// # Errors
    ///
    /// As [`warm_up`](Pool::warm_up).
    pub async fn maintain(&self) -> Result<(), PoolError<M::Error>> {
        let shared = &*self.shared;
        let now = shared.clock.now();
        let after =
            lock(&shared.state).reap(now, shared.config.idle_timeout, shared.config.min_idle);
        after.run();
        self.warm_up().await
    }

    /// The housekeeping task: [`maintain`](Pool::maintain) every `every`, until the pool is
    /// closed or dropped. Spawn it on the application's executor:
    /// `tokio::spawn(pool.reaper(Duration::from_secs(5)))`. It holds the pool weakly, so it
    /// does not keep the pool alive. A period under a millisecond is taken as one, so the
    /// task always gives its thread back between rounds.
    pub fn reaper(&self, every: Duration) -> impl Future<Output = ()> + Send + 'static {
        let every = every.max(Duration::from_millis(1));
        let pool = Arc::downgrade(&self.shared);
        async move {
            loop {
                let Some(shared) = pool.upgrade() else {
                    return;
                };
                let sleep = shared.clock.sleep(every);
                {
                    let pool = Pool { shared };
                    if pool.status().closed {
                        return;
                    }
                    // A failure to top up is counted in the pool; the next round tries again.
                    let _ = pool.maintain().await;
                }
                sleep.await;
            }
        }
    }

    /// Closes the pool: idle connections now, waiters told at once, and connections in use
    /// as they come back. Waits until every connection is closed or `deadline` passes;
    /// returns whether all were.
    pub async fn close(&self, deadline: Duration) -> bool {
        let shared = &*self.shared;
        let until_at = shared.clock.now() + deadline;
        lock(&shared.state).close().run();
        loop {
            if lock(&shared.state).size() == 0 {
                return true;
            }
            let now = shared.clock.now();
            if now >= until_at {
                return false;
            }
            shared
                .clock
                .sleep(Duration::from_millis(5).min(until_at - now))
                .await;
        }
    }
}

/// A checkout waiting in line; if dropped before it is done, it leaves the line and gives
/// back what it was handed.
struct InLine<'a, 'p, M: Manager> {
    pool: &'p Pool<M>,
    waiter: &'a WaiterRef<M::Connection>,
    done: bool,
}

impl<M: Manager> Drop for InLine<'_, '_, M> {
    fn drop(&mut self) {
        if !self.done {
            let (_, after) = lock(&self.pool.shared.state).cancel(self.waiter, false);
            after.run();
        }
    }
}

/// A creation in progress; if dropped before it ends, the pool stops counting it.
struct Creating<'p, M: Manager> {
    pool: &'p Pool<M>,
    done: bool,
}

impl<M: Manager> Drop for Creating<'_, M> {
    fn drop(&mut self) {
        if !self.done {
            let after: After<M::Connection> = lock(&self.pool.shared.state).created(false, None);
            after.run();
        }
    }
}

/// `future`'s output, or the message of a panic while polling it.
async fn catch_unwind<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = core::pin::pin!(future);
    core::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".into());
                Poll::Ready(Err(message))
            }
        }
    })
    .await
}
