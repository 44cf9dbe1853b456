//! CQRS with every derive and option, reached through the renamed dependency `pk`.

use std::sync::Mutex;

use pk::cqrs::{
    Behavior, Bus, Command, Event, Next, Pipeline, Query, Request, Response, Validate,
    ValidationError, handlers,
};

/// Adds to the total.
#[derive(Debug, Command)]
#[command(crate = pk, output = u64, error = TotalError, validate)]
pub struct Add(pub u64);

impl Validate for Add {
    fn validate(&self) -> Result<(), ValidationError> {
        if self.0 == 0 {
            return Err(ValidationError::new("0", "adding nothing is a mistake"));
        }
        Ok(())
    }
}

/// Reads the total.
#[derive(Debug, Query)]
#[query(crate = pk, output = u64)]
pub struct Total;

/// The total changed.
#[derive(Debug, Event)]
#[event(crate = pk)]
pub struct Changed(pub u64);

/// Published to no one.
#[derive(Debug, Event)]
#[event(crate = pk, validate)]
pub struct Heartbeat;

impl Validate for Heartbeat {
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// What adding can do wrong.
#[derive(Debug, PartialEq, Eq)]
pub enum TotalError {
    /// The total would overflow.
    Overflow,
}

/// Keeps the total.
#[derive(Debug, Default)]
pub struct Ledger {
    total: Mutex<u64>,
}

#[handlers(crate = pk)]
impl Ledger {
    #[command]
    fn add(&self, Add(n): Add) -> Result<u64, TotalError> {
        let mut total = self.total.lock().map_err(|_| TotalError::Overflow)?;
        *total = total.checked_add(n).ok_or(TotalError::Overflow)?;
        Ok(*total)
    }

    #[query]
    async fn total(&self, _: Total) -> Result<u64, core::convert::Infallible> {
        Ok(self.total.lock().map_or(0, |total| *total))
    }
}

/// Counts changes.
#[derive(Debug, Default)]
pub struct Watcher {
    seen: Mutex<Vec<u64>>,
}

#[handlers(crate = pk)]
impl Watcher {
    #[event]
    fn changed(&self, event: &Changed) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(event.0);
        }
    }
}

/// Fails on odd totals.
#[derive(Debug, Default)]
pub struct Auditor;

#[handlers(crate = pk)]
impl Auditor {
    #[event]
    async fn changed(&self, event: &Changed) -> Result<(), String> {
        if event.0 % 2 == 1 {
            return Err(format!("odd total {}", event.0));
        }
        Ok(())
    }
}

/// Counts every request it wraps.
#[derive(Debug, Default)]
pub struct Counter(Mutex<u64>);

impl<R: Request> Behavior<R> for Counter {
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        if let Ok(mut count) = self.0.lock() {
            *count += 1;
        }
        next.run(request).await
    }
}

/// The bus.
#[derive(Bus, Default)]
#[bus(crate = pk, publishes(Heartbeat))]
pub struct LedgerBus {
    /// Commands and queries.
    #[handles(Add, Total)]
    pub ledger: Ledger,
    /// Events.
    #[subscribes(Changed)]
    pub watcher: Watcher,
    /// A subscriber that can fail.
    #[subscribes(Changed)]
    pub auditor: Auditor,
    /// Around every request.
    #[behavior]
    pub counter: Counter,
    /// Around one.
    #[behavior(Add)]
    pub adds: Counter,
    /// Middleware.
    #[middleware]
    pub pipeline: Pipeline,
}

/// Runs every path once; returns the total and the changes seen.
#[must_use]
pub fn run() -> (u64, Vec<u64>) {
    let bus = LedgerBus {
        pipeline: Pipeline::new().with(pk::cqrs::Validation),
        ..LedgerBus::default()
    };
    pk::cqrs::block_on(async {
        if let Ok(total) = bus.send(Add(2)).await {
            if let Err(error) = bus.publish(&Changed(total)).await {
                eprintln!("{error}");
            }
        }
        let _ = bus.send(Add(0)).await;
        if let Err(error) = bus.publish_concurrently(&Heartbeat).await {
            eprintln!("{error}");
        }
        let total = bus.ask(Total).await.unwrap_or_default();
        let seen = bus
            .watcher
            .seen
            .lock()
            .map(|seen| seen.clone())
            .unwrap_or_default();
        (total, seen)
    })
}

/// Counts on one thread, with a handler whose future is not `Send`.
#[derive(Debug, Default)]
pub struct LocalLedger {
    total: std::rc::Rc<std::cell::Cell<u64>>,
}

#[handlers(crate = pk, local)]
impl LocalLedger {
    #[command]
    async fn add(&self, Add(n): Add) -> Result<u64, TotalError> {
        let total = std::rc::Rc::clone(&self.total);
        let sum = total.get().checked_add(n).ok_or(TotalError::Overflow)?;
        total.set(sum);
        Ok(sum)
    }

    #[event]
    fn changed(&self, event: &Changed) {
        self.total.set(event.0);
    }
}

/// A bus for one thread.
#[derive(Bus, Default)]
#[bus(crate = pk, local, publishes(Heartbeat))]
pub struct LocalBus {
    /// Commands.
    #[handles(Add)]
    #[subscribes(Changed)]
    pub ledger: LocalLedger,
    /// Middleware.
    #[middleware]
    pub pipeline: Pipeline,
}

/// Runs the local bus once; returns the total.
#[must_use]
pub fn run_local() -> u64 {
    let bus = LocalBus::default();
    pk::cqrs::block_on(async {
        let _ = bus.send(Add(3)).await;
        if let Err(error) = bus.publish(&Changed(5)).await {
            eprintln!("{error}");
        }
        if let Err(error) = bus.publish(&Heartbeat).await {
            eprintln!("{error}");
        }
    });
    bus.ledger.total.get()
}
