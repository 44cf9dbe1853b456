//! Sagas on the in-memory journal: the order story, retries, timeouts, stuck runs and their
//! API, a crash at every write, every action run twice, random failure schedules, and logs
//! that are damaged or cannot be reached.

#[path = "support/order_saga.rs"]
mod order_saga;

use std::sync::Arc;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::saga::{
    RetryPolicy, Saga, SagaError, SagaEvent, SagaOutcome, SagaRunner, StepContext, StepKind, saga,
};
use patternkit::store::{Journal, KeyState, MemoryJournal, StoreError, StoreFuture};

use order_saga::{OrderSaga, Refused, assert_consistent, ledger, order};

fn runner(
    failing: &[(&str, u32)],
) -> (
    SagaRunner<OrderSaga, MemoryJournal>,
    Arc<std::sync::Mutex<order_saga::Ledger>>,
) {
    let ledger = ledger(failing);
    let runner = SagaRunner::new(
        OrderSaga {
            ledger: Arc::clone(&ledger),
        },
        MemoryJournal::new(),
    )
    .policy(RetryPolicy::immediate().attempts(3));
    (runner, ledger)
}

#[test]
fn every_step_completes_in_order() {
    let (runner, ledger) = runner(&[]);
    let outcome = block_on(runner.start("1", order())).unwrap();
    assert!(outcome.is_completed());
    let ledger = ledger.lock().unwrap();
    assert_consistent(&ledger, &outcome, "1");
    assert_eq!(
        ledger.calls,
        [
            "OrderSaga/1/create_order",
            "OrderSaga/1/reserve_stock",
            "OrderSaga/1/charge",
            "OrderSaga/1/ship"
        ]
    );
}

#[test]
fn shipping_fails_so_payment_is_refunded_and_order_cancelled_in_reverse() {
    let (runner, ledger) = runner(&[("ship", u32::MAX)]);
    let outcome = block_on(runner.start("7", order())).unwrap();
    let SagaOutcome::Compensated { failed_step, error } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(*failed_step, "ship");
    // The step's own error, typed, as it returned it.
    assert_eq!(
        error.error::<Refused>(),
        Some(&Refused("ship refused".into()))
    );
    let ledger = ledger.lock().unwrap();
    assert_consistent(&ledger, &outcome, "7");
    let undo: Vec<&str> = ledger
        .calls
        .iter()
        .filter(|c| c.ends_with("/undo"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        undo,
        [
            "OrderSaga/7/charge/undo",
            "OrderSaga/7/reserve_stock/undo",
            "OrderSaga/7/create_order/undo"
        ]
    );
    // Three attempts at shipping, each logged before it ran.
    let history = block_on(runner.history("7")).unwrap();
    let ship_attempts = history
        .iter()
        .filter(|e| matches!(e, SagaEvent::StepStarted { step, .. } if step == "ship"))
        .count();
    assert_eq!(ship_attempts, 3);
    assert_eq!(history.last(), Some(&SagaEvent::Compensated));
}

#[test]
fn a_step_that_fails_then_works_is_retried() {
    let (runner, ledger) = runner(&[("charge", 2)]);
    let outcome = block_on(runner.start("r", order())).unwrap();
    assert!(outcome.is_completed(), "{outcome:?}");
    let ledger = ledger.lock().unwrap();
    let charges = ledger
        .calls
        .iter()
        .filter(|c| c.ends_with("/charge"))
        .count();
    assert_eq!(charges, 3);
    assert_eq!(ledger.applied("charge"), 1);
}

#[test]
fn a_compensation_that_keeps_failing_leaves_the_run_stuck_and_the_others_still_run() {
    let (runner, ledger) = runner(&[("ship", u32::MAX), ("undo:reserve_stock", u32::MAX)]);
    let outcome = block_on(runner.start("s", order())).unwrap();
    let SagaOutcome::Stuck {
        failed_step,
        errors,
    } = &outcome
    else {
        panic!("{outcome:?}");
    };
    assert_eq!(*failed_step, "ship");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "reserve_stock");
    {
        let ledger = ledger.lock().unwrap();
        assert_eq!(ledger.undone("charge"), 1, "the refund still ran");
        assert_eq!(
            ledger.undone("create_order"),
            1,
            "the cancellation still ran"
        );
        assert_eq!(ledger.undone("reserve_stock"), 0);
    }
    let stuck = block_on(runner.stuck()).unwrap();
    assert_eq!(stuck.len(), 1);
    assert_eq!(stuck[0].id, "s");
    assert_eq!(stuck[0].failed_step, "ship");
    assert_eq!(
        stuck[0].errors,
        [(
            "reserve_stock".to_owned(),
            "undo:reserve_stock refused".to_owned()
        )]
    );

    // The warehouse is fixed; another round undoes the rest.
    ledger.lock().unwrap().failures.clear();
    let outcome = block_on(runner.retry("s")).unwrap();
    assert!(outcome.is_compensated(), "{outcome:?}");
    assert_consistent(&ledger.lock().unwrap(), &outcome, "s");
    assert!(block_on(runner.stuck()).unwrap().is_empty());
    assert!(matches!(
        block_on(runner.retry("s")),
        Err(SagaError::NotStuck { .. })
    ));
}

#[test]
fn a_stuck_run_can_be_resolved_by_hand() {
    let (runner, _) = runner(&[("ship", u32::MAX), ("undo:charge", u32::MAX)]);
    assert!(block_on(runner.start("h", order())).unwrap().is_stuck());
    block_on(runner.resolve("h", "refunded by the support desk")).unwrap();
    assert!(block_on(runner.stuck()).unwrap().is_empty());
    let history = block_on(runner.history("h")).unwrap();
    assert_eq!(
        history.last(),
        Some(&SagaEvent::Resolved {
            note: "refunded by the support desk".into()
        })
    );
    assert!(matches!(
        block_on(runner.resolve("h", "again")),
        Err(SagaError::NotStuck { .. })
    ));
}

#[test]
fn an_id_is_started_once() {
    let (runner, _) = runner(&[]);
    block_on(runner.start("once", order())).unwrap();
    assert!(matches!(
        block_on(runner.start("once", order())),
        Err(SagaError::AlreadyStarted { .. })
    ));
    assert!(matches!(
        block_on(runner.resume("never")),
        Err(SagaError::NotFound { .. })
    ));
    // A run at rest reports how it ended.
    assert!(block_on(runner.resume("once")).unwrap().is_completed());
}

#[test]
fn a_crash_at_every_write_ends_all_applied_or_all_undone_with_one_effect_per_step() {
    block_on(order_saga::crash_proof(
        Arc::new(MemoryJournal::new()),
        "memory",
        "memory",
    ));
}

#[test]
fn every_action_and_undo_run_twice_still_have_one_effect() {
    for failing in [vec![], vec![("ship", u32::MAX)]] {
        let ledger = ledger(&failing);
        let runner = SagaRunner::new(
            OrderSaga {
                ledger: Arc::clone(&ledger),
            },
            MemoryJournal::new(),
        )
        .policy(RetryPolicy::immediate().attempts(1))
        .run_twice(true);
        let outcome = block_on(runner.start("twice", order())).unwrap();
        let ledger = ledger.lock().unwrap();
        assert_consistent(&ledger, &outcome, "twice");
        assert_eq!(
            ledger
                .calls
                .iter()
                .filter(|c| c.ends_with("/create_order"))
                .count(),
            2,
            "run twice"
        );
    }
}

/// Random schedules of failing steps and compensations, each run checked.
#[test]
fn random_failure_schedules_end_consistent_or_stuck_with_reason() {
    let mut state = 0x5A6A_2026_u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % 1024).unwrap_or(0) % n
    };
    let steps = ["create_order", "reserve_stock", "charge", "ship"];
    let mut outcomes = [0usize; 3];
    for run in 0..400 {
        let mut failing: Vec<(String, u32)> = Vec::new();
        for step in steps {
            if next(4) == 0 {
                failing.push((step.to_owned(), [1, 2, u32::MAX][next(3)]));
            }
            if step != "ship" && next(6) == 0 {
                failing.push((format!("undo:{step}"), [1, u32::MAX][next(2)]));
            }
        }
        let failing_ref: Vec<(&str, u32)> = failing.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        let (runner, ledger) = runner(&failing_ref);
        let id = format!("random-{run}");
        let outcome = block_on(runner.start(&id, order())).unwrap();
        let ledger = ledger.lock().unwrap();
        match &outcome {
            SagaOutcome::Stuck { errors, .. } => {
                outcomes[2] += 1;
                // Stuck only because an undo kept failing; every other undo still ran.
                for (step, _) in errors {
                    assert!(
                        failing
                            .iter()
                            .any(|(f, n)| *f == format!("undo:{step}") && *n == u32::MAX),
                        "{id}"
                    );
                }
                for step in order_saga::UNDONE {
                    if !errors.iter().any(|(s, _)| *s == step) {
                        assert_eq!(ledger.applied(step), ledger.undone(step), "{id}: {step}");
                    }
                }
            }
            other => {
                outcomes[usize::from(other.is_compensated())] += 1;
                assert_consistent(&ledger, other, &id);
            }
        }
    }
    println!(
        "completed {}, compensated {}, stuck {}",
        outcomes[0], outcomes[1], outcomes[2]
    );
    assert!(outcomes.iter().all(|n| *n > 0), "{outcomes:?}");
}

struct Slow;

#[saga]
impl Slow {
    #[step(attempts = 2, timeout_ms = 30)]
    async fn wait_forever(&self) -> Result<(), Refused> {
        core::future::pending::<()>().await;
        Ok(())
    }
}

#[test]
fn an_attempt_past_its_timeout_fails() {
    let runner = SagaRunner::new(Slow, MemoryJournal::new()).policy(RetryPolicy::immediate());
    let started = std::time::Instant::now();
    let outcome = block_on(runner.start("t", ())).unwrap();
    let SagaOutcome::Compensated { error, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(Slow::STEPS[0].timeout, Some(Duration::from_millis(30)));
}

struct Delivery {
    tries: std::sync::Mutex<u32>,
}

#[saga(name = "Delivery")]
impl Delivery {
    #[step(pivot)]
    async fn take_payment(&self) -> Result<(), Refused> {
        Ok(())
    }

    #[step(retriable, attempts = 3)]
    async fn notify(&self, cx: &StepContext) -> Result<u32, Refused> {
        let mut tries = self.tries.lock().unwrap();
        *tries += 1;
        if *tries < 5 {
            Err(Refused(format!("attempt {} bounced", cx.attempt())))
        } else {
            Ok(*tries)
        }
    }
}

#[test]
fn a_retriable_step_out_of_attempts_is_stuck_not_compensated_and_retry_finishes_it() {
    let runner = SagaRunner::new(
        Delivery {
            tries: std::sync::Mutex::new(0),
        },
        MemoryJournal::new(),
    )
    .policy(RetryPolicy::immediate());
    let outcome = block_on(runner.start("d", ())).unwrap();
    let SagaOutcome::Stuck {
        failed_step,
        errors,
    } = &outcome
    else {
        panic!("{outcome:?}");
    };
    assert_eq!(*failed_step, "notify");
    assert_eq!(errors[0].1.message(), "attempt 3 bounced");
    // Attempts go on counting across the retry.
    let outcome = block_on(runner.retry("d")).unwrap();
    assert!(outcome.is_completed(), "{outcome:?}");
    assert_eq!(Delivery::STEPS[1].kind, StepKind::Retriable);
    assert_eq!(Delivery::NAME, "Delivery");
}

#[test]
fn a_damaged_log_is_an_error_naming_the_run() {
    let journal = Arc::new(MemoryJournal::new());
    let runner = SagaRunner::new(
        OrderSaga {
            ledger: ledger(&[]),
        },
        Arc::clone(&journal),
    );
    block_on(journal.append(
        "saga:OrderSaga",
        "bad",
        "{\"event\":\"started\",\"input\":\"{}\"}",
    ))
    .unwrap();
    block_on(journal.append(
        "saga:OrderSaga",
        "bad",
        "{\"event\":\"step_started\",\"step\":\"teleport\",\"attempt\":1}",
    ))
    .unwrap();
    let error = block_on(runner.resume("bad")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the log of saga `bad` cannot be read: it names a step `teleport` this saga does not have"
    );
    block_on(journal.append("saga:OrderSaga", "worse", "%%%")).unwrap();
    let error = block_on(runner.resume("worse")).unwrap_err();
    assert!(
        matches!(&error, SagaError::Corrupt { id, .. } if id == "worse"),
        "{error}"
    );
    // The input cannot be read back as an `Order`.
    let error = block_on(runner.resume("bad")).unwrap_err();
    assert!(error.to_string().contains("bad"));
}

/// A journal that cannot be reached.
struct Down;

impl Journal for Down {
    fn append<'a>(&'a self, _: &'a str, _: &'a str, _: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
    fn read<'a>(&'a self, _: &'a str, _: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
    fn set_state<'a>(&'a self, _: &'a str, _: &'a str, _: KeyState) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
    fn keys<'a>(&'a self, _: &'a str, _: KeyState) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
    fn lease<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: &'a str,
        _: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
    fn release<'a>(&'a self, _: &'a str, _: &'a str, _: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::Unavailable("connection refused".into())) })
    }
}

#[test]
fn an_unreachable_log_is_an_error_and_no_step_runs() {
    let ledger = ledger(&[]);
    let runner = SagaRunner::new(
        OrderSaga {
            ledger: Arc::clone(&ledger),
        },
        Down,
    );
    let error = block_on(runner.start("x", order())).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the journal is unavailable: connection refused"
    );
    assert!(ledger.lock().unwrap().calls.is_empty());
    assert!(block_on(runner.resume_all()).is_err());
}

#[test]
fn resume_all_finishes_every_unfinished_run() {
    let journal = Arc::new(MemoryJournal::new());
    for id in ["a", "b"] {
        let crashing = patternkit::store::FaultyJournal::new(Arc::clone(&journal))
            .crash_at(3, patternkit::store::CrashPoint::BeforeWrite);
        let runner = SagaRunner::new(
            OrderSaga {
                ledger: ledger(&[]),
            },
            crashing,
        )
        .lease(Duration::ZERO);
        assert!(block_on(runner.start(id, order())).is_err());
    }
    let runner = SagaRunner::new(
        OrderSaga {
            ledger: ledger(&[]),
        },
        Arc::clone(&journal),
    );
    let results = block_on(runner.resume_all()).unwrap();
    let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(
        results
            .iter()
            .all(|(_, r)| r.as_ref().is_ok_and(SagaOutcome::is_completed))
    );
    assert!(
        block_on(journal.keys("saga:OrderSaga", KeyState::Open))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_saga_draws_itself() {
    let diagram = OrderSaga::to_mermaid();
    assert!(diagram.starts_with("flowchart LR\n"));
    assert!(
        diagram.contains("charge --> ship[\"ship · pivot\"]"),
        "{diagram}"
    );
    assert!(
        diagram.contains("charge -. on a later failure .-> refund{{\"refund\"}}"),
        "{diagram}"
    );
    println!("{diagram}");
}
