//! A saga by orchestration, logged to a SQLite file: an order service places an order, a
//! payment service charges, a shipping service ships. When shipping fails, the payment is
//! refunded and the order cancelled, in that order. Then a run is cut short by a crash and
//! finished from the log by a new runner, as a restarted process would.
//!
//! Run it with `cargo run --example saga_orchestration`. It needs no server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::saga::{RetryPolicy, Saga, SagaEvent, SagaOutcome, SagaRunner, StepContext, saga};
use patternkit::sqlite::SqliteJournal;
use patternkit::store::{CrashPoint, FaultyJournal};

#[derive(Debug)]
struct ServiceDown(&'static str);

impl std::fmt::Display for ServiceDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is unavailable", self.0)
    }
}

/// The order saga. Each step would call a service with `cx.idempotency_key()`, so that a
/// step run again after a crash takes effect once; here they print what they do.
struct PlaceOrder {
    courier_available: AtomicBool,
}

#[saga(input = u64)]
impl PlaceOrder {
    #[step(compensate = cancel_order)]
    async fn create_order(&self, cx: &StepContext, input: &u64) -> Result<String, ServiceDown> {
        println!("    orders:   order {} created for {input}", cx.id());
        Ok(format!("order-{}", cx.id()))
    }

    async fn cancel_order(&self, create_order: String) -> Result<(), ServiceDown> {
        println!("    orders:   {create_order} cancelled (compensation)");
        Ok(())
    }

    #[step(compensate = refund)]
    async fn charge(&self, cx: &StepContext, input: &u64) -> Result<String, ServiceDown> {
        println!(
            "    payments: charged {input} (key {})",
            cx.idempotency_key()
        );
        Ok(format!("payment-{}", cx.id()))
    }

    async fn refund(&self, charge: String) -> Result<(), ServiceDown> {
        println!("    payments: {charge} refunded (compensation)");
        Ok(())
    }

    #[step(pivot, attempts = 2)]
    async fn ship(&self, cx: &StepContext, create_order: &String) -> Result<(), ServiceDown> {
        if self.courier_available.load(Ordering::Relaxed) {
            println!("    shipping: {create_order} shipped");
            Ok(())
        } else {
            println!("    shipping: attempt {} failed: no courier", cx.attempt());
            Err(ServiceDown("the courier"))
        }
    }
}

fn describe(outcome: &SagaOutcome) -> String {
    match outcome {
        SagaOutcome::Completed => "completed".into(),
        SagaOutcome::Compensated { failed_step, error } => {
            format!("compensated after `{failed_step}` failed: {error}")
        }
        SagaOutcome::Stuck {
            failed_step,
            errors,
        } => {
            format!("stuck after `{failed_step}` failed; undo errors: {errors:?}")
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("patternkit-saga-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("sagas.db");
    println!(
        "The saga, drawn by itself (Mermaid):\n\n{}",
        PlaceOrder::to_mermaid()
    );
    println!("Its log: {}\n", file.display());

    let policy =
        RetryPolicy::default().backoff(Duration::from_millis(20), Duration::from_millis(200));
    let saga = PlaceOrder {
        courier_available: AtomicBool::new(true),
    };
    let runner = SagaRunner::new(saga, SqliteJournal::open(&file)?).policy(policy);

    println!("1. An order that ships:");
    let outcome = block_on(runner.start("1001", 42))?;
    println!("  -> {}\n", describe(&outcome));

    println!("2. An order whose shipping fails (twice: the step's attempt cap):");
    runner
        .saga()
        .courier_available
        .store(false, Ordering::Relaxed);
    let outcome = block_on(runner.start("1002", 17))?;
    println!("  -> {}", describe(&outcome));
    println!("  the log of run 1002:");
    for event in block_on(runner.history("1002"))? {
        println!("    {}", brief(&event));
    }

    println!("\n3. A crash right after the charge is logged; a new runner finishes from the log:");
    let crashing =
        FaultyJournal::new(SqliteJournal::open(&file)?).crash_at(4, CrashPoint::AfterWrite);
    let saga = PlaceOrder {
        courier_available: AtomicBool::new(true),
    };
    let first = SagaRunner::new(saga, crashing).lease(Duration::ZERO);
    if let Err(error) = block_on(first.start("1003", 99)) {
        println!("  the first runner stopped: {error}");
    }
    let saga = PlaceOrder {
        courier_available: AtomicBool::new(true),
    };
    let restarted = SagaRunner::new(saga, SqliteJournal::open(&file)?);
    for (id, outcome) in block_on(restarted.resume_all())? {
        println!("  resumed {id}: {}", describe(&outcome?));
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn brief(event: &SagaEvent) -> String {
    match event {
        SagaEvent::Started { input } => format!("started with {input}"),
        SagaEvent::StepStarted { step, attempt } => format!("{step}: attempt {attempt}"),
        SagaEvent::StepCompleted { step, output } => format!("{step}: done, {output}"),
        SagaEvent::StepFailed {
            step, error, last, ..
        } => {
            format!(
                "{step}: failed ({error}){}",
                if *last { ", no attempt left" } else { "" }
            )
        }
        SagaEvent::CompensationStarted { step, .. } => format!("undo {step}: started"),
        SagaEvent::CompensationCompleted { step } => format!("undo {step}: done"),
        SagaEvent::CompensationFailed { step, error, .. } => {
            format!("undo {step}: failed ({error})")
        }
        other => format!("{other:?}").to_lowercase(),
    }
}
