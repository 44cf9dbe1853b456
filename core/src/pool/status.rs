//! What a pool can say about itself: its size now, and what happened since it was built.

use std::time::Duration;

use super::state::Closed;

/// Counts since the pool was built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Connections created.
    pub created: u64,
    /// Closed because the manager found them broken when they came back.
    pub closed_broken: u64,
    /// Closed because their check before a checkout failed or took too long.
    pub closed_check_failed: u64,
    /// Closed after `idle_timeout` unused.
    pub closed_idle: u64,
    /// Closed at the end of their lifetime.
    pub closed_lifetime: u64,
    /// Taken out of the pool by their holder ([`Pooled::detach`](super::Pooled::detach) or
    /// [`Pooled::discard`](super::Pooled::discard)).
    pub closed_detached: u64,
    /// Closed because the pool was resized below them or closed.
    pub closed_by_pool: u64,
    /// Checkouts that ended in [`PoolError::Timeout`](super::PoolError::Timeout).
    pub timed_out: u64,
    /// Checkouts that had to wait (nothing idle).
    pub waited: u64,
    /// Total time checkouts spent waiting.
    pub wait_time: Duration,
    /// Total time spent creating connections.
    pub create_time: Duration,
    /// Total time connections were held by their users; measured only when a
    /// [`leak_threshold`](super::PoolBuilder::leak_threshold) is set, as it costs a clock read
    /// per return.
    pub hold_time: Duration,
}

impl Counters {
    pub(crate) fn closed(&mut self, why: Closed) {
        let counter = match why {
            Closed::Broken => &mut self.closed_broken,
            Closed::CheckFailed => &mut self.closed_check_failed,
            Closed::IdleTimeout => &mut self.closed_idle,
            Closed::Lifetime => &mut self.closed_lifetime,
            Closed::Detached => &mut self.closed_detached,
            Closed::ByClose | Closed::Resized => &mut self.closed_by_pool,
        };
        *counter += 1;
    }
}

/// A snapshot of a pool ([`Pool::status`](super::Pool::status)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// Connections open or being opened.
    pub size: usize,
    /// Open and free.
    pub idle: usize,
    /// Held by users.
    pub in_use: usize,
    /// Being created.
    pub creating: usize,
    /// Checkouts waiting in line.
    pub waiting: usize,
    /// The most it may open.
    pub max_size: usize,
    /// Whether [`Pool::close`](super::Pool::close) was called.
    pub closed: bool,
    /// Counts since it was built.
    pub counters: Counters,
}
