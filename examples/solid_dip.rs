//! Dependency inversion: high-level code depends on abstractions, not on details. `App`
//! needs a `Logger`, not a `ConsoleLogger`; `#[derive(Inject)]` hands it whichever logger the
//! compile-time container provides, and a test provides a recording one instead (see
//! `tests/solid_dip.rs`).
//!
//! Run it with `cargo run --example solid_dip`.

use std::sync::Arc;

use patternkit::di::{Container, Each, Inject, Once};

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

/// The wiring, checked by the compiler: `App` needs a `dyn Logger`, and this provides one.
#[derive(Container, Default)]
struct Production {
    #[provide(dyn Logger, singleton)]
    logger: Once<ConsoleLogger>,
    #[provide(App, transient)]
    app: Each<App>,
}

fn main() {
    println!("Dependency inversion: App receives its Logger; it never names ConsoleLogger.");
    Production::default().resolve::<App>().run();
}
