//! A pool's options, their defaults, and the checks that refuse a configuration that cannot
//! work.

use std::sync::Arc;
use std::time::Duration;

use super::Pool;
use super::clock::{Clock, SystemClock};
use super::error::ConfigError;
use super::manager::Manager;

/// Every option of a pool; each has a default (see [`PoolBuilder`]).
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) max_size: usize,
    pub(crate) min_idle: usize,
    pub(crate) timeout: Duration,
    pub(crate) create_timeout: Duration,
    pub(crate) check_timeout: Duration,
    pub(crate) check_after: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) max_lifetime: Option<Duration>,
    pub(crate) max_creating: usize,
    pub(crate) leak_threshold: Option<Duration>,
    pub(crate) retry_base: Duration,
    pub(crate) retry_max: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_size: 10,
            min_idle: 0,
            timeout: Duration::from_secs(30),
            create_timeout: Duration::from_secs(10),
            check_timeout: Duration::from_secs(5),
            check_after: Duration::from_millis(500),
            idle_timeout: Some(Duration::from_secs(600)),
            max_lifetime: Some(Duration::from_secs(1800)),
            max_creating: 1,
            leak_threshold: None,
            retry_base: Duration::from_millis(50),
            retry_max: Duration::from_secs(2),
        }
    }
}

/// Builds a [`Pool`]: every option has a default, and [`build`](PoolBuilder::build) refuses
/// a combination that cannot work.
///
/// | option | default | what it does |
/// | --- | --- | --- |
/// | [`max_size`](PoolBuilder::max_size) | 10 | connections open at most (idle, in use and being created) |
/// | [`min_idle`](PoolBuilder::min_idle) | 0 | idle connections kept warm; never reaped below |
/// | [`timeout`](PoolBuilder::timeout) | 30 s | how long a checkout waits, retries included |
/// | [`create_timeout`](PoolBuilder::create_timeout) | 10 s | how long one attempt to create may take |
/// | [`check_timeout`](PoolBuilder::check_timeout) | 5 s | how long checking an idle connection may take |
/// | [`check_after`](PoolBuilder::check_after) | 500 ms | an idle connection unused this long is checked before it is handed out |
/// | [`idle_timeout`](PoolBuilder::idle_timeout) | 10 min | idle connections beyond `min_idle` unused this long are closed |
/// | [`max_lifetime`](PoolBuilder::max_lifetime) | 30 min | connections are closed this old (less up to 2.5 %, at random, so they do not all close at once) |
/// | [`max_creating`](PoolBuilder::max_creating) | 1 | connections created at once: growth waits to see whether a returning connection serves the waiters |
/// | [`leak_threshold`](PoolBuilder::leak_threshold) | off | connections held longer are reported by [`Pool::leaks`] |
/// | [`retry`](PoolBuilder::retry) | 50 ms doubling to 2 s | backoff between attempts to create after a transient failure, with jitter |
#[must_use]
pub struct PoolBuilder<M> {
    manager: M,
    config: Config,
    clock: Arc<dyn Clock>,
}

impl<M: Manager> PoolBuilder<M> {
    pub(crate) fn new(manager: M) -> Self {
        PoolBuilder {
            manager,
            config: Config::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Connections open at most, in use or not.
    pub fn max_size(mut self, max_size: usize) -> Self {
        self.config.max_size = max_size;
        self
    }

    /// Idle connections kept warm ([`Pool::warm_up`] and [`Pool::maintain`] open them).
    pub fn min_idle(mut self, min_idle: usize) -> Self {
        self.config.min_idle = min_idle;
        self
    }

    /// How long [`Pool::get`] waits for a connection, retries included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// How long one attempt to create a connection may take.
    pub fn create_timeout(mut self, timeout: Duration) -> Self {
        self.config.create_timeout = timeout;
        self
    }

    /// How long checking an idle connection may take; one that takes longer is discarded.
    pub fn check_timeout(mut self, timeout: Duration) -> Self {
        self.config.check_timeout = timeout;
        self
    }

    /// An idle connection unused for this long is checked before it is handed out; one used
    /// more recently is trusted. `Duration::ZERO` checks every time.
    pub fn check_after(mut self, after: Duration) -> Self {
        self.config.check_after = after;
        self
    }

    /// Idle connections beyond `min_idle` unused this long are closed; `None` keeps them.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// Connections older than this are closed when they come back or are found idle; `None`
    /// keeps them forever.
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.config.max_lifetime = lifetime;
        self
    }

    /// How many connections may be created at once.
    pub fn max_creating(mut self, max: usize) -> Self {
        self.config.max_creating = max;
        self
    }

    /// Connections held longer than this are listed by [`Pool::leaks`], with where they were
    /// taken.
    pub fn leak_threshold(mut self, threshold: Option<Duration>) -> Self {
        self.config.leak_threshold = threshold;
        self
    }

    /// Backoff between attempts to create after a transient failure: `base`, doubling up to
    /// `max`, each wait shortened at random by up to a half.
    pub fn retry(mut self, base: Duration, max: Duration) -> Self {
        self.config.retry_base = base;
        self.config.retry_max = max;
        self
    }

    /// The clock the pool reads and sleeps on: [`ManualClock`](super::ManualClock) to
    /// simulate one deterministically.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The pool, empty: connections are created when needed ([`Pool::warm_up`] opens
    /// `min_idle` of them now).
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for a `max_size` or `max_creating` of zero, a `min_idle` above
    /// `max_size`, a zero timeout, or a retry backoff whose base exceeds its maximum.
    pub fn build(self) -> Result<Pool<M>, ConfigError> {
        let c = &self.config;
        let refuse = |why: String| Err(ConfigError(why));
        if c.max_size == 0 {
            return refuse("`max_size` is 0: a pool needs room for at least one connection".into());
        }
        if c.min_idle > c.max_size {
            return refuse(format!(
                "`min_idle` ({}) is above `max_size` ({}): lower `min_idle` or raise `max_size`",
                c.min_idle, c.max_size
            ));
        }
        if c.max_creating == 0 {
            return refuse("`max_creating` is 0: no connection could ever be created".into());
        }
        for (name, value) in [
            ("timeout", c.timeout),
            ("create_timeout", c.create_timeout),
            ("check_timeout", c.check_timeout),
        ] {
            if value.is_zero() {
                return refuse(format!(
                    "`{name}` is 0: nothing could finish in time; give it a duration"
                ));
            }
        }
        if c.retry_base.is_zero() || c.retry_base > c.retry_max {
            return refuse(format!(
                "`retry({:?}, {:?})`: the base must be above zero and at most the maximum",
                c.retry_base, c.retry_max
            ));
        }
        Ok(Pool::from_parts(self.manager, self.config, self.clock))
    }
}
