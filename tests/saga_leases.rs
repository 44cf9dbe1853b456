//! Two runners sharing one saga log: the lease keeps a run to one of them while a step runs
//! longer than the lease, while a failed step waits out a backoff longer than the lease, and
//! a runner that lost its run for a while does not act on what it remembers.

#[path = "support/order_saga.rs"]
mod order_saga;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::saga::{RetryPolicy, SagaError, SagaEvent, SagaOutcome, SagaRunner, saga};
use patternkit::store::{Journal, MemoryJournal};

use order_saga::{OrderSaga, Refused, ledger, order};

/// The services: a reservation, then a charge; every call counted. The first reservation takes `slow`, and the
/// first `failing` charges fail.
struct Checkout {
    reserved: AtomicU32,
    charged: AtomicU32,
    slow: Duration,
    /// The slow reservation blocks its thread, as a stalled process would: nothing else on
    /// that thread runs meanwhile, the lease's renewals included.
    stalls: bool,
    failing: AtomicU32,
}

impl Checkout {
    fn new(slow: Duration, failing: u32) -> Arc<Self> {
        Arc::new(Checkout {
            reserved: AtomicU32::new(0),
            charged: AtomicU32::new(0),
            slow,
            stalls: false,
            failing: AtomicU32::new(failing),
        })
    }

    fn stalling(slow: Duration) -> Arc<Self> {
        Arc::new(Checkout {
            reserved: AtomicU32::new(0),
            charged: AtomicU32::new(0),
            slow,
            stalls: true,
            failing: AtomicU32::new(0),
        })
    }
}

impl Checkout {
    async fn reserve(&self) -> Result<(), Refused> {
        if self.reserved.fetch_add(1, Ordering::SeqCst) == 0 {
            if self.stalls {
                std::thread::sleep(self.slow);
            } else {
                patternkit::time::sleep(self.slow).await;
            }
        }
        Ok(())
    }

    fn charge(&self) -> Result<(), Refused> {
        let left = self.failing.load(Ordering::SeqCst);
        if left > 0 {
            self.failing.store(left - 1, Ordering::SeqCst);
            return Err(Refused("the bank is busy".into()));
        }
        self.charged.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The saga, over shared counters, so that two runners drive the same services.
struct Shared(Arc<Checkout>);

#[saga(name = "Checkout")]
impl Shared {
    #[step(compensate = release)]
    async fn reserve(&self) -> Result<(), Refused> {
        self.0.reserve().await
    }

    async fn release(&self) -> Result<(), Refused> {
        Ok(())
    }

    #[step(retriable)]
    async fn charge(&self) -> Result<(), Refused> {
        self.0.charge()
    }
}

fn runner(
    checkout: &Arc<Checkout>,
    journal: &Arc<MemoryJournal>,
    lease: Duration,
    policy: RetryPolicy,
) -> SagaRunner<Shared, Arc<MemoryJournal>> {
    SagaRunner::new(Shared(Arc::clone(checkout)), Arc::clone(journal))
        .lease(lease)
        .policy(policy)
}

/// Starts run `x` with the first runner on a thread, then, `after`, resumes it with the
/// second: the second's answer, and the first's.
fn race(
    checkout: &Arc<Checkout>,
    policy: RetryPolicy,
    after: Duration,
) -> (
    Result<SagaOutcome, SagaError>,
    Result<SagaOutcome, SagaError>,
    Vec<SagaEvent>,
) {
    let journal = Arc::new(MemoryJournal::new());
    let lease = Duration::from_millis(90);
    let first = runner(checkout, &journal, lease, policy);
    let first = std::thread::spawn(move || block_on(first.start("x", ())));
    std::thread::sleep(after);
    let second = runner(checkout, &journal, lease, policy);
    let second_outcome = block_on(second.resume("x"));
    let first_outcome = first.join().unwrap();
    let history = block_on(second.history("x")).unwrap();
    (first_outcome, second_outcome, history)
}

fn finishes(history: &[SagaEvent]) -> usize {
    history
        .iter()
        .filter(|e| {
            matches!(
                e,
                SagaEvent::Completed | SagaEvent::Compensated | SagaEvent::Stuck
            )
        })
        .count()
}

/// The second runner was told the run is busy; the first completed it, charging once and
/// ending it once.
fn kept_to_the_first(
    checkout: &Checkout,
    first: &Result<SagaOutcome, SagaError>,
    second: &Result<SagaOutcome, SagaError>,
    history: &[SagaEvent],
) {
    assert!(matches!(second, Err(SagaError::Busy { .. })), "{second:?}");
    assert!(
        first.as_ref().is_ok_and(SagaOutcome::is_completed),
        "{first:?}"
    );
    assert_eq!(checkout.charged.load(Ordering::SeqCst), 1);
    assert_eq!(finishes(history), 1, "{history:?}");
}

#[test]
fn a_step_longer_than_the_lease_keeps_the_run_to_its_runner() {
    let checkout = Checkout::new(Duration::from_millis(400), 0);
    let (first, second, history) = race(
        &checkout,
        RetryPolicy::immediate(),
        Duration::from_millis(200),
    );
    kept_to_the_first(&checkout, &first, &second, &history);
}

#[test]
fn a_backoff_longer_than_the_lease_keeps_the_run_to_its_runner() {
    let checkout = Checkout::new(Duration::ZERO, 1);
    let policy = RetryPolicy::immediate()
        .backoff(Duration::from_millis(400), Duration::from_millis(400))
        .jitter(0.0);
    let (first, second, history) = race(&checkout, policy, Duration::from_millis(200));
    kept_to_the_first(&checkout, &first, &second, &history);
}

#[test]
fn a_runner_that_stalled_past_its_lease_reads_the_run_back_instead_of_repeating_it() {
    // The first runner's thread stalls in the reservation; the second takes the run over and
    // finishes it. The first then finds entries it did not write, reads the run back, and
    // reports how it ended, without charging again or logging a second end.
    let checkout = Checkout::stalling(Duration::from_millis(400));
    let (first, second, history) = race(
        &checkout,
        RetryPolicy::immediate(),
        Duration::from_millis(200),
    );
    assert!(
        second.as_ref().is_ok_and(SagaOutcome::is_completed),
        "{second:?}"
    );
    assert!(
        first.as_ref().is_ok_and(SagaOutcome::is_completed),
        "{first:?}"
    );
    assert_eq!(checkout.charged.load(Ordering::SeqCst), 1);
    assert_eq!(finishes(&history), 1, "{history:?}");
    assert_eq!(history.last(), Some(&SagaEvent::Completed), "{history:?}");
}

#[test]
fn a_second_runner_cannot_take_a_run_whose_lease_is_held() {
    let journal = Arc::new(MemoryJournal::new());
    let ledger = ledger(&[]);
    block_on(journal.lease(
        "saga:OrderSaga",
        "busy",
        "someone-else",
        Duration::from_secs(60),
    ))
    .unwrap();
    let runner = SagaRunner::new(OrderSaga { ledger }, Arc::clone(&journal));
    assert!(matches!(
        block_on(runner.start("busy", order())),
        Err(SagaError::Busy { .. })
    ));
}

#[test]
fn one_runner_driving_a_run_twice_at_once_drives_it_once() {
    // A service retries a request whose first attempt is still running: the same runner is
    // asked to resume the run it is driving. The lease is this runner's already, so it alone
    // cannot keep the second call out.
    let checkout = Checkout::new(Duration::from_millis(400), 0);
    let journal = Arc::new(MemoryJournal::new());
    let shared = Arc::new(runner(
        &checkout,
        &journal,
        Duration::from_secs(60),
        RetryPolicy::immediate(),
    ));
    let first = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || block_on(shared.start("x", ())))
    };
    std::thread::sleep(Duration::from_millis(200));
    let second = block_on(shared.resume("x"));
    let first = first.join().unwrap();
    let history = block_on(shared.history("x")).unwrap();
    kept_to_the_first(&checkout, &first, &second, &history);
    assert_eq!(checkout.reserved.load(Ordering::SeqCst), 1, "{history:?}");
}

#[test]
fn a_call_given_up_half_way_leaves_the_run_to_the_next_call() {
    // A caller's timeout drops `start` while its first step runs: the run is neither left
    // claimed by the dropped call nor held from this runner by its own lease.
    let checkout = Checkout::new(Duration::from_millis(300), 0);
    let journal = Arc::new(MemoryJournal::new());
    let runner = runner(
        &checkout,
        &journal,
        Duration::from_secs(60),
        RetryPolicy::immediate(),
    );
    let given_up = block_on(patternkit::time::timeout(
        Some(Duration::from_millis(50)),
        runner.start("x", ()),
    ));
    assert!(given_up.is_none(), "{given_up:?}");
    let outcome = block_on(runner.resume("x"));
    assert!(
        outcome.as_ref().is_ok_and(SagaOutcome::is_completed),
        "{outcome:?}"
    );
    assert_eq!(checkout.charged.load(Ordering::SeqCst), 1);
}
