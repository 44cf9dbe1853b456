//! Sleeping and timeouts that work under any executor: one timer thread, started on first
//! use, wakes the futures whose deadline has passed. The saga runner and the commit
//! coordinator use them for backoff and for the time a step or a participant may take.
//!
//! ```
//! use std::time::Duration;
//! use patternkit::cqrs::block_on;
//! use patternkit::time::{sleep, timeout};
//!
//! let late = timeout(Some(Duration::from_millis(10)), sleep(Duration::from_secs(60)));
//! assert_eq!(block_on(late), None);
//! let quick = timeout(Some(Duration::from_secs(60)), async { 7 });
//! assert_eq!(block_on(quick), Some(7));
//! ```

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// Pending sleeps by deadline (and an id, to tell equal deadlines apart): registering,
/// re-polling and dropping one are each a lookup in this map, and a dropped sleep leaves
/// nothing behind.
struct Timers {
    due: Mutex<BTreeMap<(Instant, u64), Waker>>,
    changed: Condvar,
}

fn timers() -> &'static Arc<Timers> {
    static TIMERS: OnceLock<Arc<Timers>> = OnceLock::new();
    TIMERS.get_or_init(|| {
        let timers = Arc::new(Timers {
            due: Mutex::new(BTreeMap::new()),
            changed: Condvar::new(),
        });
        let worker = Arc::clone(&timers);
        // If the thread cannot be started, sleeps still end: `Sleep` checks its deadline
        // whenever it is polled, and an executor polls on any other wake-up.
        let _ = std::thread::Builder::new()
            .name("patternkit-timer".into())
            .spawn(move || run(&worker));
        timers
    })
}

fn run(timers: &Timers) {
    let mut due = timers.due.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let now = Instant::now();
        let mut ready = Vec::new();
        while let Some(entry) = due.first_entry() {
            if entry.key().0 > now {
                break;
            }
            ready.push(entry.remove());
        }
        if !ready.is_empty() {
            drop(due);
            for waker in ready {
                waker.wake();
            }
            due = timers.due.lock().unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        due = match due.keys().next() {
            Some(&(at, _)) => {
                let wait = at.saturating_duration_since(Instant::now());
                timers
                    .changed
                    .wait_timeout(due, wait)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
            None => timers
                .changed
                .wait(due)
                .unwrap_or_else(PoisonError::into_inner),
        };
    }
}

/// Wakes `waker` once `at` has passed (at once if it has): a timer without a future, for
/// code that keeps one deadline for many waiters.
pub(crate) fn wake_at(at: Instant, waker: Waker) {
    static NEXT: AtomicU64 = AtomicU64::new(1 << 63);
    if Instant::now() >= at {
        waker.wake();
        return;
    }
    let timers = timers();
    let mut due = timers.due.lock().unwrap_or_else(PoisonError::into_inner);
    let earliest = due.keys().next().is_none_or(|&(first, _)| at < first);
    due.insert((at, NEXT.fetch_add(1, Ordering::Relaxed)), waker);
    drop(due);
    if earliest {
        timers.changed.notify_one();
    }
}

/// A future that completes at a deadline; made by [`sleep`].
#[derive(Debug)]
pub struct Sleep {
    at: Instant,
    /// Set once registered with the timer thread.
    id: Option<u64>,
}

/// A future that completes once `duration` has passed.
#[must_use]
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        at: Instant::now() + duration,
        id: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        let timers = timers();
        let at = self.at;
        let mut due = timers.due.lock().unwrap_or_else(PoisonError::into_inner);
        match self.id {
            Some(id) => match due.get_mut(&(at, id)) {
                Some(waker) => waker.clone_from(cx.waker()),
                // Woken by the timer thread between our deadline check and the lock.
                None => return Poll::Ready(()),
            },
            None => {
                let id = NEXT.fetch_add(1, Ordering::Relaxed);
                self.id = Some(id);
                let earliest = due.keys().next().is_none_or(|&(first, _)| at < first);
                due.insert((at, id), cx.waker().clone());
                drop(due);
                // The timer thread sleeps until its earliest deadline: only an earlier one
                // needs to wake it.
                if earliest {
                    timers.changed.notify_one();
                }
            }
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            timers()
                .due
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&(self.at, id));
        }
    }
}

/// `future`'s output, or `None` when `limit` passes first (`None` as the limit waits as
/// long as it takes).
pub async fn timeout<F: Future>(limit: Option<Duration>, future: F) -> Option<F::Output> {
    let Some(limit) = limit else {
        return Some(future.await);
    };
    let mut future = core::pin::pin!(future);
    let mut sleep = core::pin::pin!(sleep(limit));
    core::future::poll_fn(move |cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
