//! Checking a connection out: taking an idle one, creating one, or waiting in line, each
//! within the checkout's deadline, and giving back whatever a dropped checkout was handed.

use core::future::Future;
use core::task::Poll;
use std::panic::Location;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::clock::until;
use super::state::{Closed, Conn, Held, Slot, Step, lock};
use super::{Creating, Failure, Manager, Pool, PoolError, Pooled, WaiterRef, catch_unwind};

/// How a wait in line ended.
enum Woken<C> {
    Ready(Conn<C>),
    Create,
    Closed,
    TimedOut,
}

impl<M: Manager> Pool<M> {
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

    /// An idle connection if there is one, without waiting for another caller's or creating
    /// one: for a caller with something else to do when the pool is busy. Like
    /// [`get_blocking`](Pool::get_blocking) it is for a thread, not an async task: the
    /// connection it takes is checked first (on this thread) unless it was used within
    /// `check_after`, and one that fails its check is closed and the next idle one tried.
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
    /// assert!(pool.try_get()?.is_none()); // nothing idle yet, and it creates nothing
    /// drop(pool.get_blocking()?);
    /// let held = pool.try_get()?.expect("the one just returned");
    /// assert!(pool.try_get()?.is_none());
    /// # drop(held);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PoolError::Closed`], and [`PoolError::Panicked`] if the manager's check panicked.
    #[track_caller]
    pub fn try_get(&self) -> Result<Option<Pooled<'_, M>>, PoolError<M::Error>> {
        let by = Location::caller();
        crate::cqrs::block_on(async {
            let shared = &*self.shared;
            loop {
                let taken = {
                    let mut state = lock(&shared.state);
                    if state.closed {
                        return Err(PoolError::Closed);
                    }
                    state.take_idle()
                };
                let Some(conn) = taken else {
                    return Ok(None);
                };
                let now = shared.clock.now();
                if let Some(conn) = self.usable(conn, now).await? {
                    return Ok(Some(self.hand_out(conn, now, by)));
                }
            }
        })
    }

    /// `conn`, checked out at `now` by `by`, as the caller's.
    #[inline]
    fn hand_out(
        &self,
        conn: Conn<M::Connection>,
        now: Instant,
        by: &'static Location<'static>,
    ) -> Pooled<'_, M> {
        if self.shared.config.leak_threshold.is_some() {
            lock(&self.shared.state).hold(Held {
                id: conn.id,
                since: now,
                by,
            });
        }
        Pooled::new(conn, self, now)
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
                return Ok(self.hand_out(conn, now, by));
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
