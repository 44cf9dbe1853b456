//! Dependency inversion: high-level code depends on abstractions, not on details. `App`
//! needs a `Logger`, not a `ConsoleLogger`; `#[derive(Inject)]` hands it whichever logger the
//! container binds, and a test binds a recording one instead (see `tests/solid_dip.rs`).
//!
//! Run it with `cargo run --example solid_dip`.

use std::sync::Arc;

use patternkit::di::{Container, Inject, Lifetime};

/// The abstraction both sides depend on.
trait Logger: Send + Sync {
    fn log(&self, line: &str);
}

/// A detail: one way of logging.
#[derive(Inject)]
struct ConsoleLogger;

impl Logger for ConsoleLogger {
    fn log(&self, line: &str) {
        println!("  [console] {line}");
    }
}

/// High-level policy: knows only `Logger`.
#[derive(Inject)]
struct App {
    logger: Arc<dyn Logger>,
}

impl App {
    fn run(&self) {
        self.logger.log("app started");
        self.logger.log("app finished");
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Dependency inversion: App receives its Logger; it never names ConsoleLogger.");
    let container = Container::builder()
        .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |logger| logger)
        .transient::<App>()
        .build()?;
    container.resolve::<App>()?.run();
    Ok(())
}
