//! Sagas: steps with compensations, run against a durable log (SQLite here), undone in
//! reverse when a later step fails.

use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::saga::{RetryPolicy, SagaOutcome, SagaRunner, StepContext, saga};
use patternkit::sqlite::SqliteJournal;

#[derive(Debug)]
struct Unavailable;

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no courier")
    }
}

struct Checkout;

#[saga(input = u64)]
impl Checkout {
    #[step(compensate = cancel)]
    async fn place(&self, cx: &StepContext, input: &u64) -> Result<String, Unavailable> {
        println!("    placed order {} for {input}", cx.id());
        Ok(format!("order {}", cx.id()))
    }

    async fn cancel(&self, place: String) -> Result<(), Unavailable> {
        println!("    cancelled {place}");
        Ok(())
    }

    #[step(compensate = refund)]
    async fn charge(&self, input: &u64) -> Result<u64, Unavailable> {
        println!("    charged {input}");
        Ok(*input)
    }

    async fn refund(&self, charge: u64) -> Result<(), Unavailable> {
        println!("    refunded {charge}");
        Ok(())
    }

    #[step(pivot, attempts = 2)]
    async fn ship(&self, cx: &StepContext) -> Result<(), Unavailable> {
        println!("    shipping, attempt {}: no courier", cx.attempt());
        Err(Unavailable)
    }
}

pub fn run() {
    println!("Saga\n----");
    let journal = match SqliteJournal::in_memory() {
        Ok(journal) => journal,
        Err(error) => {
            println!("  no SQLite journal: {error}\n");
            return;
        }
    };
    let policy =
        RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50));
    let runner = SagaRunner::new(Checkout, journal).policy(policy);
    println!("  Each step is logged (SQLite) before the next runs; shipping fails, so the");
    println!("  completed steps are undone, last first:");
    match block_on(runner.start("7", 30)) {
        Ok(SagaOutcome::Compensated { failed_step, error }) => {
            println!("  -> compensated: `{failed_step}` failed ({error})");
        }
        Ok(other) => println!("  -> {other:?}"),
        Err(error) => println!("  -> the log failed: {error}"),
    }
    println!("  After a crash, `runner.resume_all()` finishes every run from its log.\n");
}
