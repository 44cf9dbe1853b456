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

mod checkout;
mod clock;
mod config;
mod error;
#[cfg(all(test, loom))]
mod loom_tests;
mod manager;
mod pooled;
mod state;
mod status;
mod upkeep;

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

use config::Config;
use state::{After, Closed, Conn, State, Waiter, lock};

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
