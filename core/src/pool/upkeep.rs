//! Keeping the pool in shape: resizing it, warming it up to `min_idle`, reaping idle and
//! old connections, and closing it.

use core::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::clock::until;
use super::state::lock;
use super::{ConfigError, Creating, Manager, Pool, PoolError, catch_unwind};

impl<M: Manager> Pool<M> {
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
