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
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

struct Timers {
    due: Mutex<BinaryHeap<Reverse<(Instant, u64)>>>,
    wakers: Mutex<Vec<(u64, Waker)>>,
    changed: Condvar,
}

fn timers() -> &'static Arc<Timers> {
    static TIMERS: OnceLock<Arc<Timers>> = OnceLock::new();
    TIMERS.get_or_init(|| {
        let timers = Arc::new(Timers {
            due: Mutex::new(BinaryHeap::new()),
            wakers: Mutex::new(Vec::new()),
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
        let mut fired = Vec::new();
        while let Some(Reverse((at, id))) = due.peek().copied() {
            if at > now {
                break;
            }
            due.pop();
            fired.push(id);
        }
        if !fired.is_empty() {
            let mut wakers = timers.wakers.lock().unwrap_or_else(PoisonError::into_inner);
            let mut ready = Vec::new();
            wakers.retain(|(id, waker)| {
                if fired.contains(id) {
                    ready.push(waker.clone());
                    false
                } else {
                    true
                }
            });
            drop(wakers);
            for waker in ready {
                waker.wake();
            }
        }
        due = match due.peek() {
            Some(Reverse((at, _))) => {
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

/// A future that completes at a deadline; made by [`sleep`].
#[derive(Debug)]
pub struct Sleep {
    at: Instant,
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
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        let timers = timers();
        let id = *self
            .id
            .get_or_insert_with(|| NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let mut wakers = timers.wakers.lock().unwrap_or_else(PoisonError::into_inner);
        match wakers.iter_mut().find(|(i, _)| *i == id) {
            Some((_, waker)) => waker.clone_from(cx.waker()),
            None => {
                wakers.push((id, cx.waker().clone()));
                drop(wakers);
                timers
                    .due
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Reverse((self.at, id)));
                timers.changed.notify_one();
            }
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            let timers = timers();
            timers
                .wakers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|(i, _)| *i != id);
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
