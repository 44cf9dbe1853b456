//! The pool's bookkeeping, all under one lock: idle connections, how many are in use or being
//! created, and the queue of waiters that returned connections are handed to directly.
//!
//! Nothing here waits, sleeps or does I/O, so every interleaving of checkout, return,
//! cancellation, resize and close can be explored with loom (`--cfg loom`). Each operation
//! returns what must happen after the lock is released: wakers to wake and connections to
//! close (a connection's `Drop` may do I/O).

use core::task::Waker;
use std::collections::VecDeque;
use std::panic::Location;
use std::time::{Duration, Instant};

#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

use super::status::Counters;

/// A pooled connection and what the pool knows of it.
pub(crate) struct Conn<C> {
    pub(crate) value: C,
    pub(crate) id: u64,
    /// When it stops being handed out (its jittered maximum lifetime).
    pub(crate) expires: Option<Instant>,
    /// When it last came back (or was created).
    pub(crate) last_used: Instant,
}

/// What a waiter was given.
pub(crate) enum Slot<C> {
    /// Nothing yet; wake this when something comes.
    Waiting(Option<Waker>),
    /// A connection, handed over directly (already counted in use).
    Ready(Conn<C>),
    /// Permission to create one (already counted as creating).
    Create,
    /// The pool closed.
    Closed,
    /// Its deadline passed (it is out of line).
    TimedOut,
}

/// One checkout waiting in line.
pub(crate) struct Waiter<C> {
    pub(crate) slot: Mutex<Slot<C>>,
    /// When it gives up. Checkouts may wait for different times (`get_timeout`), and one that
    /// comes back to the line keeps its deadline, so the line is not in deadline order.
    pub(crate) deadline: Instant,
}

impl<C> Waiter<C> {
    pub(crate) fn new(deadline: Instant) -> Arc<Self> {
        Arc::new(Waiter {
            slot: Mutex::new(Slot::Waiting(None)),
            deadline,
        })
    }
}

/// Takes `mutex`, trying a few times, further and further apart, before waiting on it.
///
/// Every checkout and every return takes the pool's lock for a few instructions, so the
/// workers of a busy pool meet on it all the time. Once a thread has waited on a std mutex,
/// every unlock wakes the waiters through the kernel until they have all gone; and two
/// threads trying for the lock at once take its cache line from each other. Trying again
/// after a pause that doubles each time takes the lock in a gap without either cost, as
/// `parking_lot`'s mutex does; waiting starts after 248 pauses (a few microseconds). Under
/// loom, whose models must not spin, it waits at once.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    #[cfg(not(loom))]
    for step in 0..BACKOFF_STEPS {
        match mutex.try_lock() {
            Ok(guard) => return guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                for _ in 0..FIRST_PAUSE << step {
                    core::hint::spin_loop();
                }
            }
        }
    }
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The pauses between `lock`'s tries: the first, doubled at each of the steps.
#[cfg(not(loom))]
const FIRST_PAUSE: usize = 8;
#[cfg(not(loom))]
const BACKOFF_STEPS: u32 = 5;

/// What a checkout does next.
pub(crate) enum Step<C> {
    /// Use this idle connection.
    Take(Conn<C>),
    /// Create one (counted as creating).
    Create,
    /// Wait in line; arm the pool's timer for this deadline if one is given.
    Wait(Arc<Waiter<C>>, Option<Instant>),
    /// The pool is closed.
    Closed,
}

/// What to do once the lock is released.
pub(crate) struct After<C> {
    pub(crate) wake: Vec<Waker>,
    pub(crate) close: Vec<C>,
}

impl<C> After<C> {
    fn new() -> Self {
        After {
            wake: Vec::new(),
            close: Vec::new(),
        }
    }

    /// Wakes and closes.
    pub(crate) fn run(self) {
        for waker in self.wake {
            waker.wake();
        }
        drop(self.close);
    }
}

/// Why a connection was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Closed {
    Broken,
    CheckFailed,
    IdleTimeout,
    Lifetime,
    Detached,
    ByClose,
    Resized,
}

/// Who holds a connection, for leak reports.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Held {
    pub(crate) id: u64,
    pub(crate) since: Instant,
    pub(crate) by: &'static Location<'static>,
}

pub(crate) struct State<C> {
    pub(crate) idle: Vec<Conn<C>>,
    pub(crate) in_use: usize,
    pub(crate) creating: usize,
    pub(crate) waiters: VecDeque<Arc<Waiter<C>>>,
    pub(crate) max_size: usize,
    pub(crate) max_creating: usize,
    pub(crate) closed: bool,
    pub(crate) last_error: Option<String>,
    pub(crate) next_id: u64,
    pub(crate) held: Vec<Held>,
    pub(crate) counters: Counters,
    /// The deadline the pool's one timer is armed for, if it is.
    pub(crate) armed: Option<Instant>,
}

impl<C> State<C> {
    pub(crate) fn new(max_size: usize, max_creating: usize) -> Self {
        State {
            idle: Vec::new(),
            in_use: 0,
            creating: 0,
            waiters: VecDeque::new(),
            max_size,
            max_creating,
            closed: false,
            last_error: None,
            next_id: 0,
            held: Vec::new(),
            counters: Counters::default(),
            armed: None,
        }
    }

    /// Connections open or being opened.
    pub(crate) fn size(&self) -> usize {
        self.idle.len() + self.in_use + self.creating
    }

    fn can_create(&self) -> bool {
        !self.closed && self.size() < self.max_size && self.creating < self.max_creating
    }

    /// The most recently returned idle connection, now in use.
    pub(crate) fn take_idle(&mut self) -> Option<Conn<C>> {
        let conn = self.idle.pop()?;
        self.in_use += 1;
        Some(conn)
    }

    /// A checkout's next step: the most recently returned idle connection, else permission
    /// to create one, else a place in line until `deadline`.
    pub(crate) fn checkout(&mut self, deadline: Instant) -> Step<C> {
        if self.closed {
            return Step::Closed;
        }
        if let Some(conn) = self.take_idle() {
            return Step::Take(conn);
        }
        if self.can_create() {
            self.creating += 1;
            return Step::Create;
        }
        let waiter = Waiter::new(deadline);
        self.waiters.push_back(Arc::clone(&waiter));
        // The timer is armed for the earliest deadline in line: one due sooner than the
        // armed one arms it again.
        let arm = self
            .armed
            .is_none_or(|armed| deadline < armed)
            .then_some(deadline);
        if arm.is_some() {
            self.armed = arm;
        }
        Step::Wait(waiter, arm)
    }

    /// The pool's timer fired for `fired`: every waiter whose deadline has passed leaves the
    /// line, told so. Returns the deadline to arm the timer for next, if any.
    pub(crate) fn expire(&mut self, fired: Instant, now: Instant) -> (After<C>, Option<Instant>) {
        let mut after = After::new();
        if self.armed == Some(fired) {
            self.armed = None;
        }
        // Deadlines are not in line order, so the whole line is looked at; only when the
        // timer fires, never on the way of a checkout.
        self.waiters.retain(|waiter| {
            if waiter.deadline > now {
                return true;
            }
            let mut slot = lock(&waiter.slot);
            if let Slot::Waiting(waker) = &mut *slot {
                after.wake.extend(waker.take());
                *slot = Slot::TimedOut;
            }
            false
        });
        let next = match self.armed {
            None => self.waiters.iter().map(|waiter| waiter.deadline).min(),
            Some(_) => None,
        };
        if next.is_some() {
            self.armed = next;
        }
        (after, next)
    }

    /// Hands permission to create to waiters in line while growth is allowed: no
    /// connection will come back for them otherwise.
    fn grant(&mut self, after: &mut After<C>) {
        while self.can_create() {
            let Some(waiter) = self.waiters.pop_front() else {
                return;
            };
            let mut slot = lock(&waiter.slot);
            if let Slot::Waiting(waker) = &mut *slot {
                after.wake.extend(waker.take());
                *slot = Slot::Create;
                self.creating += 1;
            }
        }
    }

    /// Gives `conn` (not counted anywhere) to the first waiter in line, else keeps it idle.
    fn hand_over(&mut self, conn: Conn<C>, after: &mut After<C>) {
        while let Some(waiter) = self.waiters.pop_front() {
            let mut slot = lock(&waiter.slot);
            if let Slot::Waiting(waker) = &mut *slot {
                after.wake.extend(waker.take());
                self.in_use += 1;
                *slot = Slot::Ready(conn);
                return;
            }
            drop(slot);
        }
        self.idle.push(conn);
    }

    /// A connection in use comes back: closed if `closing` says why, else handed over.
    pub(crate) fn give_back(&mut self, conn: Conn<C>, closing: Option<Closed>) -> After<C> {
        let mut after = After::new();
        self.in_use -= 1;
        self.unhold(conn.id);
        let closing = closing
            .or(self.closed.then_some(Closed::ByClose))
            .or((self.size() >= self.max_size).then_some(Closed::Resized));
        match closing {
            Some(why) => {
                self.counters.closed(why);
                after.close.push(conn.value);
                self.grant(&mut after);
            }
            None => self.hand_over(conn, &mut after),
        }
        after
    }

    /// A connection in use leaves the pool for good (detached, or found broken before use).
    pub(crate) fn forget(&mut self, id: u64, why: Closed) -> After<C> {
        let mut after = After::new();
        self.in_use -= 1;
        self.unhold(id);
        self.counters.closed(why);
        self.grant(&mut after);
        after
    }

    /// A creation ended: with a connection for the creator, or with `error`.
    pub(crate) fn created(&mut self, made: bool, error: Option<String>) -> After<C> {
        let mut after = After::new();
        self.creating -= 1;
        if made {
            self.in_use += 1;
            self.counters.created += 1;
        }
        if error.is_some() {
            self.last_error = error;
        }
        self.grant(&mut after);
        after
    }

    /// A connection made for the pool itself (warming up): kept idle or handed over.
    pub(crate) fn created_idle(&mut self, conn: Conn<C>) -> After<C> {
        let mut after = After::new();
        self.creating -= 1;
        self.counters.created += 1;
        if self.closed {
            self.counters.closed(Closed::ByClose);
            after.close.push(conn.value);
        } else {
            self.hand_over(conn, &mut after);
        }
        after
    }

    /// A waiter gives up (timed out or dropped): out of line, and whatever it was given goes
    /// back — a connection to the next in line, a permission to create to the next that
    /// needs one. Returns the connection when the waiter may keep it instead.
    pub(crate) fn cancel(
        &mut self,
        waiter: &Arc<Waiter<C>>,
        keep: bool,
    ) -> (Option<Conn<C>>, After<C>) {
        let mut after = After::new();
        self.waiters.retain(|w| !Arc::ptr_eq(w, waiter));
        let given = core::mem::replace(&mut *lock(&waiter.slot), Slot::Closed);
        match given {
            Slot::Ready(conn) if keep => return (Some(conn), after),
            Slot::Ready(conn) => {
                self.in_use -= 1;
                self.hand_over(conn, &mut after);
            }
            Slot::Create => {
                self.creating -= 1;
                self.grant(&mut after);
            }
            Slot::Waiting(_) | Slot::Closed | Slot::TimedOut => {}
        }
        (None, after)
    }

    /// Closes the pool: idle connections closed, every waiter told.
    pub(crate) fn close(&mut self) -> After<C> {
        let mut after = After::new();
        self.closed = true;
        for conn in self.idle.drain(..) {
            self.counters.closed(Closed::ByClose);
            after.close.push(conn.value);
        }
        for waiter in self.waiters.drain(..) {
            let mut slot = lock(&waiter.slot);
            if let Slot::Waiting(waker) = &mut *slot {
                after.wake.extend(waker.take());
                *slot = Slot::Closed;
            }
        }
        after
    }

    /// Changes `max_size`: idle connections beyond it are closed now, those in use when they
    /// come back; waiters may create up to a larger one.
    pub(crate) fn resize(&mut self, max_size: usize) -> After<C> {
        let mut after = After::new();
        self.max_size = max_size;
        while self.size() > self.max_size {
            // The least recently used go first.
            if self.idle.is_empty() {
                break;
            }
            let conn = self.idle.remove(0);
            self.counters.closed(Closed::Resized);
            after.close.push(conn.value);
        }
        self.grant(&mut after);
        after
    }

    /// Closes idle connections past their lifetime, and those beyond `min_idle` unused for
    /// `idle_timeout`.
    pub(crate) fn reap(
        &mut self,
        now: Instant,
        idle_timeout: Option<Duration>,
        min_idle: usize,
    ) -> After<C> {
        let mut after = After::new();
        let mut kept = Vec::with_capacity(self.idle.len());
        // Oldest first: the stack's bottom is the least recently used.
        let total = self.idle.len();
        for (n, conn) in self.idle.drain(..).enumerate() {
            let still_idle_after = total - n - 1 + kept.len();
            let expired = conn.expires.is_some_and(|at| at <= now);
            let stale = idle_timeout
                .is_some_and(|t| now.saturating_duration_since(conn.last_used) >= t)
                && still_idle_after >= min_idle;
            if expired || stale {
                let why = if expired {
                    Closed::Lifetime
                } else {
                    Closed::IdleTimeout
                };
                self.counters.closed(why);
                after.close.push(conn.value);
            } else {
                kept.push(conn);
            }
        }
        self.idle = kept;
        self.grant(&mut after);
        after
    }

    /// An id for a new connection.
    pub(crate) fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn hold(&mut self, held: Held) {
        self.held.push(held);
    }

    fn unhold(&mut self, id: u64) {
        if let Some(at) = self.held.iter().position(|h| h.id == id) {
            self.held.swap_remove(at);
        }
    }
}
