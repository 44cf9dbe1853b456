//! Behaviours around commands and queries, on both buses: nesting order, requests wrapped by
//! name or all of them, short-circuits, retries, pre- and post-processors and exception
//! handlers — with `MediatR`'s pipeline scenarios (outer/inner behaviours, pre/post processors,
//! handled and unhandled exceptions) rewritten as tests.

// Handlers take their message by value and return `Result` even when they cannot fail, by
// design of the handler contract.
#![allow(clippy::needless_pass_by_value, clippy::unnecessary_wraps)]

use std::sync::{Arc, Mutex};

use patternkit::cqrs::{
    After, Before, Behavior, Completed, DispatchError, Incoming, Middleware, Next, Outcome,
    Pipeline, Recover, Registry, Request, Response, ValidationError, block_on, handlers,
};
use patternkit::prelude::*;

type Log = Arc<Mutex<Vec<String>>>;

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

#[derive(Command, Clone, Debug)]
#[command(output = String, error = String)]
struct Ping(String);

#[derive(Query, Clone, Debug)]
#[query(output = u32)]
struct Count;

#[derive(Event)]
struct Pinged;

struct Handler {
    log: Log,
    /// How many calls fail before one succeeds.
    failures: Mutex<u32>,
}

impl Handler {
    fn new(log: &Log, failures: u32) -> Self {
        Handler {
            log: Arc::clone(log),
            failures: Mutex::new(failures),
        }
    }
}

#[handlers]
impl Handler {
    #[command]
    fn ping(&self, Ping(text): Ping) -> Result<String, String> {
        self.log.lock().unwrap().push("handler".into());
        let mut failures = self.failures.lock().unwrap();
        if *failures > 0 {
            *failures -= 1;
            return Err(format!("{text} failed"));
        }
        Ok(format!("{text} pong"))
    }

    #[query]
    async fn count(&self, _: Count) -> Result<u32, std::convert::Infallible> {
        self.log.lock().unwrap().push("count".into());
        Ok(7)
    }

    #[event]
    fn pinged(&self, _: &Pinged) {
        self.log.lock().unwrap().push("pinged".into());
    }
}

/// Logs around the rest of the pipeline, as `MediatR`'s `OuterBehavior` and `InnerBehavior`.
struct Around {
    name: &'static str,
    log: Log,
}

impl<R: Request> Behavior<R> for Around {
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} before", self.name));
        let response = next.run(request).await;
        self.log
            .lock()
            .unwrap()
            .push(format!("{} after", self.name));
        response
    }
}

/// Tries again while the handler fails, up to `attempts` calls.
struct Retry(u32);

impl<R: Request + Clone> Behavior<R> for Retry {
    async fn handle<N: Next<R>>(&self, request: R, next: N) -> Response<R> {
        let mut attempt = 1;
        loop {
            match next.run(request.clone()).await {
                Err(error) if error.is_handler_error() && attempt < self.0 => attempt += 1,
                response => return response,
            }
        }
    }
}

/// Answers `Ping("cached")` itself; the handler never sees it.
struct Cache;

impl Behavior<Ping> for Cache {
    async fn handle<N: Next<Ping>>(&self, request: Ping, next: N) -> Response<Ping> {
        if request.0 == "cached" {
            return Ok("from the cache".into());
        }
        next.run(request).await
    }
}

#[derive(Bus)]
struct Nested {
    #[behavior]
    outer: Around,
    #[behavior(Ping)]
    inner: Around,
    #[handles(Ping, Count)]
    handler: Handler,
}

fn nested(log: &Log) -> Nested {
    Nested {
        outer: Around {
            name: "outer",
            log: Arc::clone(log),
        },
        inner: Around {
            name: "inner",
            log: Arc::clone(log),
        },
        handler: Handler::new(log, 0),
    }
}

#[test]
fn behaviours_nest_in_field_order_the_first_outermost() {
    let log = Log::default();
    let bus = nested(&log);
    assert_eq!(block_on(bus.send(Ping("a".into()))), Ok("a pong".into()));
    assert_eq!(
        entries(&log),
        [
            "outer before",
            "inner before",
            "handler",
            "inner after",
            "outer after"
        ]
    );
}

#[test]
fn a_listed_behaviour_wraps_only_the_requests_it_names() {
    let log = Log::default();
    let bus = nested(&log);
    assert_eq!(block_on(bus.ask(Count)), Ok(7));
    assert_eq!(entries(&log), ["outer before", "count", "outer after"]);
}

#[derive(Bus)]
struct Resilient {
    #[behavior(Ping)]
    cache: Cache,
    #[behavior(Ping)]
    retry: Retry,
    #[handles(Ping)]
    handler: Handler,
}

#[test]
fn a_behaviour_that_answers_itself_never_reaches_the_handler() {
    let log = Log::default();
    let bus = Resilient {
        cache: Cache,
        retry: Retry(3),
        handler: Handler::new(&log, 0),
    };
    assert_eq!(
        block_on(bus.send(Ping("cached".into()))),
        Ok("from the cache".into())
    );
    assert!(entries(&log).is_empty());
}

#[test]
fn a_retry_calls_the_rest_of_the_pipeline_again() {
    let log = Log::default();
    let bus = Resilient {
        cache: Cache,
        retry: Retry(3),
        handler: Handler::new(&log, 2),
    };
    assert_eq!(block_on(bus.send(Ping("b".into()))), Ok("b pong".into()));
    assert_eq!(entries(&log), ["handler"; 3]);

    let log = Log::default();
    let bus = Resilient {
        cache: Cache,
        retry: Retry(2),
        handler: Handler::new(&log, 5),
    };
    assert_eq!(
        block_on(bus.send(Ping("c".into()))),
        Err(DispatchError::Handler("c failed".into()))
    );
    assert_eq!(entries(&log), ["handler"; 2]);
}

type Check = fn(&Ping) -> Result<(), ValidationError>;
type Report = Box<dyn Fn(&Response<Ping>) + Send + Sync>;
type Fallback = fn(String) -> Result<String, String>;

#[derive(Bus)]
struct Processed {
    #[middleware]
    pipeline: Pipeline,
    #[behavior(Ping)]
    post: After<Report>,
    #[behavior(Ping)]
    recover: Recover<Fallback>,
    #[behavior(Ping)]
    pre: Before<Check>,
    #[handles(Ping)]
    handler: Handler,
    #[subscribes(Pinged)]
    audit: Handler,
}

fn no_empty_ping(ping: &Ping) -> Result<(), ValidationError> {
    if ping.0.is_empty() {
        return Err(ValidationError::new("0", "must not be empty"));
    }
    Ok(())
}

/// Records each dispatch's outcome, to show where the behaviours sit in the pipeline.
struct Outcomes(Arc<Mutex<Vec<Outcome>>>);

impl Middleware for Outcomes {
    fn after(&self, completed: &Completed) {
        self.0.lock().unwrap().push(completed.outcome);
    }
}

fn processed(log: &Log, failures: u32, outcomes: &Arc<Mutex<Vec<Outcome>>>) -> Processed {
    let post_log = Arc::clone(log);
    Processed {
        pipeline: Pipeline::new().with(Outcomes(Arc::clone(outcomes))),
        post: After(Box::new(move |response: &Response<Ping>| {
            post_log
                .lock()
                .unwrap()
                .push(format!("post-processor saw {response:?}"));
        })),
        recover: Recover(|error| {
            if error.starts_with("recoverable") {
                Ok("recovered".into())
            } else {
                Err(error)
            }
        }),
        pre: Before(no_empty_ping),
        handler: Handler::new(log, failures),
        audit: Handler::new(log, 0),
    }
}

#[test]
fn pre_and_post_processors_run_around_the_handler() {
    let log = Log::default();
    let outcomes = Arc::default();
    let bus = processed(&log, 0, &outcomes);
    assert_eq!(block_on(bus.send(Ping("d".into()))), Ok("d pong".into()));
    assert_eq!(
        entries(&log),
        ["handler", "post-processor saw Ok(\"d pong\")"]
    );
    assert_eq!(*outcomes.lock().unwrap(), [Outcome::Handled]);
}

#[test]
fn a_pre_processor_rejects_before_the_handler() {
    let log = Log::default();
    let outcomes = Arc::default();
    let bus = processed(&log, 0, &outcomes);
    let Err(DispatchError::Rejected(rejection)) = block_on(bus.send(Ping(String::new()))) else {
        panic!("an empty ping is rejected");
    };
    assert_eq!((rejection.message, rejection.error.field()), ("Ping", "0"));
    assert_eq!(entries(&log).len(), 1, "only the post-processor ran");
    assert_eq!(*outcomes.lock().unwrap(), [Outcome::Failed]);
}

#[test]
fn an_exception_handler_answers_for_the_handler_or_lets_the_error_through() {
    let log = Log::default();
    let outcomes = Arc::default();
    let bus = processed(&log, 1, &outcomes);
    assert_eq!(
        block_on(bus.send(Ping("recoverable".into()))),
        Ok("recovered".into())
    );
    let bus = processed(&log, 1, &outcomes);
    assert_eq!(
        block_on(bus.send(Ping("fatal".into()))),
        Err(DispatchError::Handler("fatal failed".into()))
    );
    assert_eq!(
        *outcomes.lock().unwrap(),
        [Outcome::Handled, Outcome::Failed]
    );
    // Events pass through the pipeline only: behaviours wrap commands and queries.
    block_on(bus.publish(&Pinged)).unwrap();
    assert_eq!(entries(&log).last().map(String::as_str), Some("pinged"));
}

#[test]
fn the_registry_runs_behaviours_added_before_or_after_the_handler() {
    let log = Log::default();
    let registry = Registry::builder()
        .behavior::<Ping>(Around {
            name: "outer",
            log: Arc::clone(&log),
        })
        .command::<Ping>(Handler::new(&log, 2))
        .behavior::<Ping>(Retry(3))
        .behavior::<Ping>(Around {
            name: "inner",
            log: Arc::clone(&log),
        })
        .query::<Count>(Handler::new(&log, 0))
        .build()
        .unwrap();
    assert_eq!(
        block_on(registry.send(Ping("e".into()))),
        Ok("e pong".into())
    );
    assert_eq!(
        entries(&log),
        [
            "outer before",
            "inner before",
            "handler",
            "inner after",
            "inner before",
            "handler",
            "inner after",
            "inner before",
            "handler",
            "inner after",
            "outer after"
        ]
    );
    log.lock().unwrap().clear();
    assert_eq!(block_on(registry.ask(Count)), Ok(7));
    assert_eq!(
        entries(&log),
        ["count"],
        "no behaviour was added for `Count`"
    );
}

#[test]
fn the_registry_short_circuits_and_rejects_like_the_bus() {
    let log = Log::default();
    let registry = Registry::builder()
        .command::<Ping>(Handler::new(&log, 0))
        .behavior::<Ping>(Before(no_empty_ping as Check))
        .behavior::<Ping>(Cache)
        .build()
        .unwrap();
    assert_eq!(
        block_on(registry.send(Ping("cached".into()))),
        Ok("from the cache".into())
    );
    let rejected = block_on(registry.send(Ping(String::new()))).unwrap_err();
    assert_eq!(rejected.rejection().map(ValidationError::field), Some("0"));
    assert_eq!(rejected.message(), Some("Ping"));
    assert!(entries(&log).is_empty());
}

/// A middleware for every message that looks into the one it knows.
struct NoShouting;

impl Middleware for NoShouting {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        match incoming.message::<Ping>() {
            Some(Ping(text)) if text.chars().all(char::is_uppercase) => {
                Err(ValidationError::new("0", "is shouted"))
            }
            _ => Ok(()),
        }
    }
}

#[test]
fn a_middleware_sees_the_message_it_knows() {
    let log = Log::default();
    let registry = Registry::builder()
        .command::<Ping>(Handler::new(&log, 0))
        .query::<Count>(Handler::new(&log, 0))
        .middleware(Pipeline::new().with(NoShouting))
        .build()
        .unwrap();
    assert!(block_on(registry.send(Ping("HEY".into()))).is_err());
    assert_eq!(
        block_on(registry.send(Ping("hey".into()))),
        Ok("hey pong".into())
    );
    assert_eq!(block_on(registry.ask(Count)), Ok(7));
}

/// A storage backend a generic bus is written over.
trait Backend: Send + Sync + 'static {
    fn name(&self) -> &'static str;
}

struct Memory;

impl Backend for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }
}

#[derive(Command)]
#[command(output = &'static str)]
struct Describe;

struct Describer<B>(B);

impl<B: Backend> patternkit::cqrs::CommandHandler<Describe> for Describer<B> {
    async fn handle(&self, _: Describe) -> Result<&'static str, std::convert::Infallible> {
        Ok(self.0.name())
    }
}

#[derive(Bus)]
struct Generic<B: Backend> {
    #[behavior]
    around: Around,
    #[handles(Describe)]
    describer: Describer<B>,
}

#[test]
fn behaviours_wrap_the_requests_of_a_generic_bus() {
    let log = Log::default();
    let bus = Generic {
        around: Around {
            name: "around",
            log: Arc::clone(&log),
        },
        describer: Describer(Memory),
    };
    assert_eq!(block_on(bus.send(Describe)), Ok("memory"));
    assert_eq!(entries(&log), ["around before", "around after"]);
}
