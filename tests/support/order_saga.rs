//! The order saga every saga log is tested with: an order is placed, stock reserved, the
//! payment charged, the parcel shipped (the pivot); when shipping fails the payment is
//! refunded, the stock released and the order cancelled.
//!
//! Each step calls a service through the ledger below, passing its idempotency key: the
//! ledger applies an effect once per key, and remembers every call, so a test can check
//! that a run ended all-applied or all-undone, and that no step had two effects.
//!
//! Shared by the tests of every journal (`#[path]`-included), so each runs the same proof.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use patternkit::saga::{SagaError, SagaOutcome, SagaRunner, StepContext, saga};
use patternkit::store::{CrashPoint, FaultyJournal, Journal};

#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the services did: effects by idempotency key, and every call made.
#[derive(Default)]
pub struct Ledger {
    pub effects: BTreeMap<String, String>,
    pub calls: Vec<String>,
    /// How many more times each step (or `undo:step`) fails before it works.
    pub failures: BTreeMap<String, u32>,
}

impl Ledger {
    /// Applies `what` once for `key`; fails while `step` has failures left.
    fn call(&mut self, step: &str, key: String, what: String) -> Result<(), Refused> {
        self.calls.push(key.clone());
        if let Some(left) = self.failures.get_mut(step) {
            if *left > 0 {
                *left -= 1;
                return Err(Refused(format!("{step} refused")));
            }
        }
        self.effects.entry(key).or_insert(what);
        Ok(())
    }

    /// The steps whose effect took place, and the undone ones.
    pub fn applied(&self, step: &str) -> usize {
        self.effects
            .keys()
            .filter(|k| k.split('/').nth(2) == Some(step) && !k.ends_with("/undo"))
            .count()
    }

    pub fn undone(&self, step: &str) -> usize {
        self.effects
            .keys()
            .filter(|k| k.split('/').nth(2) == Some(step) && k.ends_with("/undo"))
            .count()
    }
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct Order {
    pub customer: String,
    pub amount: u64,
}

pub struct OrderSaga {
    pub ledger: Arc<Mutex<Ledger>>,
}

impl OrderSaga {
    fn call(&self, cx: &StepContext, what: String) -> Result<(), Refused> {
        let step = if cx.is_compensation() {
            format!("undo:{}", cx.step())
        } else {
            cx.step().to_owned()
        };
        self.ledger
            .lock()
            .unwrap()
            .call(&step, cx.idempotency_key(), what)
    }
}

#[saga(input = Order)]
impl OrderSaga {
    #[step(compensate = cancel_order)]
    async fn create_order(&self, cx: &StepContext, input: &Order) -> Result<String, Refused> {
        self.call(cx, format!("order for {}", input.customer))?;
        Ok(format!("order-{}", cx.id()))
    }

    async fn cancel_order(&self, cx: &StepContext, create_order: String) -> Result<(), Refused> {
        self.call(cx, format!("cancel {create_order}"))
    }

    #[step(compensate = release_stock)]
    async fn reserve_stock(&self, cx: &StepContext, create_order: &String) -> Result<u32, Refused> {
        self.call(cx, format!("reserve for {create_order}"))?;
        Ok(3)
    }

    async fn release_stock(&self, cx: &StepContext, reserve_stock: u32) -> Result<(), Refused> {
        self.call(cx, format!("release {reserve_stock}"))
    }

    #[step(compensate = refund)]
    async fn charge(&self, cx: &StepContext, input: &Order) -> Result<u64, Refused> {
        self.call(cx, format!("charge {}", input.amount))?;
        Ok(input.amount)
    }

    async fn refund(&self, cx: &StepContext, charge: u64) -> Result<(), Refused> {
        self.call(cx, format!("refund {charge}"))
    }

    #[step(pivot)]
    async fn ship(&self, cx: &StepContext, create_order: String) -> Result<String, Refused> {
        self.call(cx, format!("ship {create_order}"))?;
        Ok(format!("parcel for {create_order}"))
    }
}

pub const FORWARD: [&str; 4] = ["create_order", "reserve_stock", "charge", "ship"];
pub const UNDONE: [&str; 3] = ["create_order", "reserve_stock", "charge"];

pub fn order() -> Order {
    Order {
        customer: "ada".into(),
        amount: 42,
    }
}

/// A ledger where `failing` steps fail `times` times each.
pub fn ledger(failing: &[(&str, u32)]) -> Arc<Mutex<Ledger>> {
    let mut ledger = Ledger::default();
    for (step, times) in failing {
        ledger.failures.insert((*step).to_owned(), *times);
    }
    Arc::new(Mutex::new(ledger))
}

/// The run ended all-applied or all-undone, and no step had two effects.
pub fn assert_consistent(ledger: &Ledger, outcome: &SagaOutcome, id: &str) {
    for step in FORWARD {
        assert!(
            ledger.applied(step) <= 1,
            "{id}: `{step}` took effect twice: {:?}",
            ledger.effects
        );
        assert!(
            ledger.undone(step) <= 1,
            "{id}: `{step}` was undone twice: {:?}",
            ledger.effects
        );
    }
    match outcome {
        SagaOutcome::Completed => {
            for step in FORWARD {
                assert_eq!(
                    ledger.applied(step),
                    1,
                    "{id}: `{step}` missing: {:?}",
                    ledger.effects
                );
                assert_eq!(ledger.undone(step), 0, "{id}: `{step}` undone");
            }
        }
        SagaOutcome::Compensated { .. } => {
            assert_eq!(ledger.applied("ship"), 0, "{id}: shipped and compensated");
            for step in UNDONE {
                assert_eq!(
                    ledger.applied(step),
                    ledger.undone(step),
                    "{id}: `{step}` applied but not undone: {:?}",
                    ledger.effects
                );
            }
        }
        SagaOutcome::Stuck { .. } => panic!("{id}: stuck: {outcome:?}"),
    }
}

/// Crashes a run at every write of its log, before and after the write, then resumes it
/// from the log with a new runner, as a restarted process would; checks each run ends
/// consistent. `failing` makes steps fail (`ship` for the compensation path). Returns how
/// many crash points were tried.
pub async fn crash_at_every_write<J: Journal + 'static>(
    journal: Arc<J>,
    prefix: &str,
    failing: &[(&str, u32)],
    expect_completed: bool,
) -> usize {
    use patternkit::saga::RetryPolicy;
    use std::time::Duration;

    // A clean run, to count its writes.
    let clean = ledger(failing);
    let counting = FaultyJournal::new(Arc::clone(&journal));
    let runner = SagaRunner::new(
        OrderSaga {
            ledger: Arc::clone(&clean),
        },
        counting,
    )
    .policy(RetryPolicy::immediate().attempts(2));
    let outcome = runner
        .start(&format!("{prefix}-clean"), order())
        .await
        .unwrap();
    assert_eq!(outcome.is_completed(), expect_completed, "{outcome:?}");
    assert_consistent(&clean.lock().unwrap(), &outcome, "clean");
    let writes = runner.journal().writes();

    let mut tried = 0;
    for at in 0..writes {
        for point in [CrashPoint::BeforeWrite, CrashPoint::AfterWrite] {
            let id = format!("{prefix}-{at}-{point:?}");
            let ledger = ledger(failing);
            let crashing = FaultyJournal::new(Arc::clone(&journal)).crash_at(at, point);
            // The crashed runner's lease lapses at once, as a dead process's would in time.
            let first = SagaRunner::new(
                OrderSaga {
                    ledger: Arc::clone(&ledger),
                },
                crashing,
            )
            .policy(RetryPolicy::immediate().attempts(2))
            .lease(Duration::ZERO);
            let crashed = first.start(&id, order()).await;
            assert!(
                matches!(crashed, Err(SagaError::Store(_))),
                "{id}: the run went on past its crash: {crashed:?}"
            );
            let second = SagaRunner::new(
                OrderSaga {
                    ledger: Arc::clone(&ledger),
                },
                Arc::clone(&journal),
            )
            .policy(RetryPolicy::immediate().attempts(2));
            let outcome = match second.resume(&id).await {
                // The crash came before the run was logged: the caller starts it again.
                Err(SagaError::NotFound { .. }) => second.start(&id, order()).await.unwrap(),
                other => other.unwrap(),
            };
            assert_eq!(
                outcome.is_completed(),
                expect_completed,
                "{id}: {outcome:?}"
            );
            assert_consistent(&ledger.lock().unwrap(), &outcome, &id);
            tried += 1;
        }
    }
    tried
}

/// The crash proof on `journal`: the order saga crashed at every write, once on the path
/// where every step completes and once where shipping fails and the rest is undone. Prints
/// and returns how many crash points each path had.
pub async fn crash_proof<J: Journal + 'static>(
    journal: Arc<J>,
    prefix: &str,
    what: &str,
) -> (usize, usize) {
    let forward =
        crash_at_every_write(Arc::clone(&journal), &format!("{prefix}-ok"), &[], true).await;
    let backward = crash_at_every_write(
        journal,
        &format!("{prefix}-ship-fails"),
        &[("ship", u32::MAX)],
        false,
    )
    .await;
    println!("crash points tried on {what}: {forward} forward, {backward} compensating");
    assert!(forward >= 20 && backward >= 30, "{forward} {backward}");
    (forward, backward)
}
