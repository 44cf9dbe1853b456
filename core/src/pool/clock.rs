//! Time as the pool sees it: the real clock, or a manual one that a test moves forward, so a
//! pool's behaviour over minutes can be simulated deterministically in microseconds.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::manager::PoolFuture;

/// Where a pool reads the time and sleeps.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Instant;

    /// Completes once `duration` has passed on this clock.
    fn sleep(&self, duration: Duration) -> PoolFuture<'static, ()>;

    /// Wakes `waker` once this clock passes `at`: the one timer a pool keeps for the
    /// deadlines of everyone waiting in line.
    fn wake_at(&self, at: Instant, waker: Waker);
}

/// The real clock; sleeping works under any executor ([`crate::time::sleep`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> PoolFuture<'static, ()> {
        Box::pin(crate::time::sleep(duration))
    }

    fn wake_at(&self, at: Instant, waker: Waker) {
        crate::time::wake_at(at, waker);
    }
}

/// A clock that moves only when told: [`advance`](ManualClock::advance) wakes every sleep
/// whose deadline it passes.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use patternkit::pool::{Clock, ManualClock};
///
/// let clock = ManualClock::new();
/// let start = clock.now();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now() - start, Duration::from_secs(90));
/// ```
#[derive(Clone, Debug)]
pub struct ManualClock {
    inner: Arc<Mutex<Manual>>,
}

#[derive(Debug)]
struct Manual {
    now: Instant,
    sleepers: Vec<(Instant, Arc<Mutex<SleepState>>)>,
}

#[derive(Debug, Default)]
struct SleepState {
    done: bool,
    waker: Option<Waker>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock standing at the real time of its creation.
    #[must_use]
    pub fn new() -> Self {
        ManualClock {
            inner: Arc::new(Mutex::new(Manual {
                now: Instant::now(),
                sleepers: Vec::new(),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Manual> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves the clock `by` forward, waking the sleeps that are due.
    pub fn advance(&self, by: Duration) {
        let mut wakers = Vec::new();
        {
            let mut manual = self.lock();
            manual.now += by;
            let now = manual.now;
            manual.sleepers.retain(|(at, state)| {
                if *at > now {
                    return true;
                }
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                state.done = true;
                wakers.extend(state.waker.take());
                false
            });
        }
        for waker in wakers {
            waker.wake();
        }
    }

    /// The earliest deadline of a pending sleep: where a simulation jumps to when nothing
    /// else can run.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.lock().sleepers.iter().map(|(at, _)| *at).min()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> PoolFuture<'static, ()> {
        let state = Arc::new(Mutex::new(SleepState::default()));
        {
            let mut manual = self.lock();
            if duration.is_zero() {
                state.lock().unwrap_or_else(PoisonError::into_inner).done = true;
            } else {
                let at = manual.now + duration;
                manual.sleepers.push((at, Arc::clone(&state)));
            }
        }
        Box::pin(ManualSleep(state))
    }

    fn wake_at(&self, at: Instant, waker: Waker) {
        let mut manual = self.lock();
        if at <= manual.now {
            drop(manual);
            waker.wake();
            return;
        }
        let state = SleepState {
            done: false,
            waker: Some(waker),
        };
        manual.sleepers.push((at, Arc::new(Mutex::new(state))));
    }
}

struct ManualSleep(Arc<Mutex<SleepState>>);

impl Future for ManualSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if state.done {
            Poll::Ready(())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// `future`'s output, or `None` once `clock` passes `deadline`.
pub(crate) async fn until<F: Future>(
    clock: &dyn Clock,
    deadline: Instant,
    future: F,
) -> Option<F::Output> {
    let left = deadline.saturating_duration_since(clock.now());
    let mut sleep = clock.sleep(left);
    let mut future = core::pin::pin!(future);
    core::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        if sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}
