//! The strict crate's bus, and feature `log`: every dispatch is logged.

use std::sync::Mutex;

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if let Ok(mut lines) = self.0.lock() {
            lines.push(format!("{} {}", record.level(), record.args()));
        }
    }

    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn bus_runs_every_path() {
    assert_eq!(patternkit_strict::messaging::run(), (2, vec![2]));
}

#[test]
fn logging_middleware_logs_each_dispatch() {
    use patternkit_strict::messaging::{Add, Ledger};
    use pk::cqrs::{Logging, Pipeline, Registry, block_on};

    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Debug);
    let registry = Registry::builder()
        .command::<Add>(Ledger::default())
        .middleware(Pipeline::new().with(Logging))
        .build()
        .unwrap();
    block_on(registry.send(Add(3))).unwrap();
    let lines = LOGGER.0.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "DEBUG dispatching command `Add`");
    assert!(
        lines[1].starts_with("INFO command `Add`: Handled in "),
        "{lines:?}"
    );
}
