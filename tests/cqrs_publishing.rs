//! Publishing events: subscribers that fail have their errors collected while the others
//! still run, one after another or all at once, on both buses, through the pipeline and
//! through a handler's `Publisher`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use patternkit::cqrs::{
    DispatchError, Incoming, Middleware, Pipeline, PublishError, Publisher, Registry,
    SubscriberErrors, ValidationError, block_on, handlers,
};
use patternkit::prelude::*;

type Log = Arc<Mutex<Vec<&'static str>>>;

#[derive(Event, Debug)]
struct Shipped(u32);

#[derive(Event)]
struct Ignored;

/// Succeeds and records its name.
struct Records {
    name: &'static str,
    log: Log,
}

#[handlers]
impl Records {
    #[event]
    fn shipped(&self, _: &Shipped) {
        self.log.lock().unwrap().push(self.name);
    }
}

/// Records its name, then fails for odd parcels.
struct Fails {
    name: &'static str,
    log: Log,
}

#[derive(Debug)]
struct Refused(u32);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parcel {} refused", self.0)
    }
}

impl std::error::Error for Refused {}

#[handlers]
impl Fails {
    #[event]
    async fn shipped(&self, event: &Shipped) -> Result<(), Refused> {
        self.log.lock().unwrap().push(self.name);
        if event.0 % 2 == 1 {
            return Err(Refused(event.0));
        }
        Ok(())
    }
}

#[derive(Bus)]
#[bus(publishes(Ignored))]
struct Shop {
    #[subscribes(Shipped)]
    first: Fails,
    #[subscribes(Shipped)]
    second: Records,
    #[subscribes(Shipped)]
    third: Fails,
}

fn shop(log: &Log) -> Shop {
    Shop {
        first: Fails {
            name: "first",
            log: Arc::clone(log),
        },
        second: Records {
            name: "second",
            log: Arc::clone(log),
        },
        third: Fails {
            name: "third",
            log: Arc::clone(log),
        },
    }
}

fn failures(error: DispatchError<SubscriberErrors>) -> SubscriberErrors {
    match error {
        DispatchError::Handler(errors) => errors,
        other => panic!("expected subscriber failures, got {other:?}"),
    }
}

#[test]
fn every_subscriber_runs_and_every_failure_is_reported() {
    let log = Log::default();
    let bus = shop(&log);
    let errors = failures(block_on(bus.publish(&Shipped(3))).unwrap_err());
    assert_eq!(*log.lock().unwrap(), ["first", "second", "third"]);
    assert_eq!(errors.event(), "Shipped");
    assert_eq!(errors.subscribers().collect::<Vec<_>>(), ["first", "third"]);
    assert_eq!(
        errors.to_string(),
        "2 subscribers of `Shipped` failed: `first`: parcel 3 refused; `third`: parcel 3 refused"
    );
    assert_eq!(
        std::error::Error::source(&errors).map(ToString::to_string),
        Some("parcel 3 refused".to_owned())
    );

    log.lock().unwrap().clear();
    assert!(block_on(bus.publish(&Shipped(4))).is_ok());
    assert_eq!(*log.lock().unwrap(), ["first", "second", "third"]);
    assert!(block_on(bus.publish(&Ignored)).is_ok());
}

#[test]
fn concurrent_publishing_collects_the_same_failures_in_declaration_order() {
    let log = Log::default();
    let bus = shop(&log);
    let errors = failures(block_on(bus.publish_concurrently(&Shipped(5))).unwrap_err());
    assert_eq!(errors.subscribers().collect::<Vec<_>>(), ["first", "third"]);
    assert_eq!(log.lock().unwrap().len(), 3);
    assert!(block_on(bus.publish_concurrently(&Ignored)).is_ok());
}

/// A one-way latch: `wait` is pending until `open` is called, from another subscriber.
#[derive(Clone, Default)]
struct Latch(Arc<Mutex<(bool, Vec<Waker>)>>);

impl Latch {
    fn open(&self) {
        let mut state = self.0.lock().unwrap();
        state.0 = true;
        for waker in state.1.drain(..) {
            waker.wake();
        }
    }

    fn wait(&self) -> impl Future<Output = ()> + Send + '_ {
        struct Wait<'a>(&'a Latch);
        impl Future for Wait<'_> {
            type Output = ();
            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
                let mut state = (self.0).0.lock().unwrap();
                if state.0 {
                    return Poll::Ready(());
                }
                state.1.push(cx.waker().clone());
                Poll::Pending
            }
        }
        Wait(self)
    }
}

/// Waits for the latch, which a later subscriber opens.
struct Waiter {
    latch: Latch,
    log: Log,
}

#[handlers]
impl Waiter {
    #[event]
    async fn shipped(&self, _: &Shipped) {
        self.latch.wait().await;
        self.log.lock().unwrap().push("waiter");
    }
}

/// Opens the latch.
struct Opener {
    latch: Latch,
    log: Log,
}

#[handlers]
impl Opener {
    #[event]
    fn shipped(&self, _: &Shipped) {
        self.log.lock().unwrap().push("opener");
        self.latch.open();
    }
}

#[derive(Bus)]
struct Latched {
    #[subscribes(Shipped)]
    waiter: Waiter,
    #[subscribes(Shipped)]
    opener: Opener,
}

#[test]
fn concurrent_subscribers_run_while_an_earlier_one_waits() {
    // Published one after another, the waiter would wait forever for the opener; published
    // concurrently, the opener runs while the waiter waits.
    let log = Log::default();
    let latch = Latch::default();
    let bus = Latched {
        waiter: Waiter {
            latch: latch.clone(),
            log: Arc::clone(&log),
        },
        opener: Opener {
            latch,
            log: Arc::clone(&log),
        },
    };
    assert!(block_on(bus.publish_concurrently(&Shipped(2))).is_ok());
    assert_eq!(*log.lock().unwrap(), ["opener", "waiter"]);

    let log = Log::default();
    let latch = Latch::default();
    let registry = Registry::builder()
        .event::<Shipped>(Waiter {
            latch: latch.clone(),
            log: Arc::clone(&log),
        })
        .event::<Shipped>(Opener {
            latch,
            log: Arc::clone(&log),
        })
        .build()
        .unwrap();
    assert!(block_on(registry.publish_concurrently(&Shipped(2))).is_ok());
    assert_eq!(*log.lock().unwrap(), ["opener", "waiter"]);
}

#[test]
fn the_registry_names_failed_subscribers_by_type() {
    let log = Log::default();
    let registry = Registry::builder()
        .event::<Shipped>(Records {
            name: "records",
            log: Arc::clone(&log),
        })
        .event::<Shipped>(Fails {
            name: "fails",
            log: Arc::clone(&log),
        })
        .build()
        .unwrap();
    for publish in [true, false] {
        log.lock().unwrap().clear();
        let result = if publish {
            block_on(registry.publish(&Shipped(1)))
        } else {
            block_on(registry.publish_concurrently(&Shipped(1)))
        };
        let errors = failures(result.unwrap_err());
        let names: Vec<_> = errors.subscribers().collect();
        assert_eq!(names.len(), 1);
        assert!(names[0].ends_with("Fails"), "{names:?}");
        assert_eq!(*log.lock().unwrap(), ["records", "fails"]);
    }
    assert!(block_on(registry.publish(&Ignored)).is_ok());
}

/// Rejects every event.
struct Closed;

impl Middleware for Closed {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        Err(ValidationError::new(
            "event",
            format!("`{}` is closed", incoming.name()),
        ))
    }
}

#[derive(Bus)]
struct Guarded {
    #[middleware]
    pipeline: Pipeline,
    #[subscribes(Shipped)]
    records: Records,
}

#[test]
fn a_rejected_event_reaches_no_subscriber_and_says_so() {
    let log = Log::default();
    let bus = Guarded {
        pipeline: Pipeline::new().with(Closed),
        records: Records {
            name: "records",
            log: Arc::clone(&log),
        },
    };
    for result in [
        block_on(bus.publish(&Shipped(1))),
        block_on(bus.publish_concurrently(&Shipped(1))),
    ] {
        let rejected = result.unwrap_err();
        assert!(matches!(rejected, DispatchError::Rejected(_)));
        assert_eq!(rejected.message(), Some("Shipped"));
    }
    assert!(log.lock().unwrap().is_empty());
}

/// Publishes `Shipped` on its own bus when it hears `Ignored`.
struct Relay {
    events: Publisher<Shop>,
}

#[test]
fn a_publisher_reports_its_subscribers_failures() {
    let log = Log::default();
    let events = Publisher::<Shop>::new();
    let relay = Relay {
        events: events.clone(),
    };
    let bus = Arc::new(shop(&log));
    events.attach(&bus);
    let error = block_on(relay.events.publish(Shipped(7))).unwrap_err();
    let PublishError::Failed(error) = error else {
        panic!("expected the subscribers' failures, got {error:?}");
    };
    assert_eq!(failures(error).failures().len(), 2);
    assert!(block_on(relay.events.publish(Shipped(8))).is_ok());
}
