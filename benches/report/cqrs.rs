//! Dispatching a command: the compile-time bus against calling the handler directly, and the
//! runtime registry against a hand-rolled `HashMap<TypeId, Box<dyn Any>>` registry.

use core::any::{Any, TypeId};
use core::future::Future;
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use patternkit::cqrs::{Bus, Command, CommandHandler, Registry, handlers};

use crate::harness::{Case, Group, repeat};

#[derive(Command)]
#[command(output = u64)]
pub struct Add(pub u64);

/// A command with no output and no error: its result is zero-sized from the handler.
#[derive(Command)]
pub struct Touch;

#[derive(Default)]
pub struct Counter {
    total: AtomicU64,
}

#[handlers]
impl Counter {
    #[command]
    fn add(&self, Add(n): Add) -> Result<u64, core::convert::Infallible> {
        Ok(self.total.fetch_add(n, Ordering::Relaxed))
    }

    #[command]
    fn touch(&self, _: Touch) -> Result<(), core::convert::Infallible> {
        self.total.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

#[derive(Bus, Default)]
pub struct CounterBus {
    #[handles(Add, Touch)]
    counter: Counter,
}

/// Polls a future that is ready at once, as every handler here is.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the handlers here never wait"),
    }
}

static COUNTER: LazyLock<Counter> = LazyLock::new(Counter::default);
static BUS: LazyLock<CounterBus> = LazyLock::new(CounterBus::default);
static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    Registry::builder()
        .command::<Add>(Counter::default())
        .build()
        .unwrap_or_else(|error| panic!("{error}"))
});

type SyncHandler = Box<dyn Fn(Add) -> u64 + Send + Sync>;
type AsyncHandler = Box<dyn Fn(Add) -> Pin<Box<dyn Future<Output = u64> + Send>> + Send + Sync>;

/// What users write by hand: handlers in a map keyed by the message's `TypeId`.
static HAND_SYNC: LazyLock<HashMap<TypeId, Box<dyn Any + Send + Sync>>> = LazyLock::new(|| {
    let counter = AtomicU64::new(0);
    let handler: SyncHandler = Box::new(move |Add(n)| counter.fetch_add(n, Ordering::Relaxed));
    let mut map: HashMap<TypeId, Box<dyn Any + Send + Sync>> = HashMap::new();
    map.insert(TypeId::of::<Add>(), Box::new(handler));
    map
});

/// The same, for async handlers, whose futures must be boxed to be stored.
static HAND_ASYNC: LazyLock<HashMap<TypeId, Box<dyn Any + Send + Sync>>> = LazyLock::new(|| {
    static TOTAL: AtomicU64 = AtomicU64::new(0);
    let handler: AsyncHandler =
        Box::new(|Add(n)| Box::pin(async move { TOTAL.fetch_add(n, Ordering::Relaxed) }));
    let mut map: HashMap<TypeId, Box<dyn Any + Send + Sync>> = HashMap::new();
    map.insert(TypeId::of::<Add>(), Box::new(handler));
    map
});

fn hand_sync(command: Add) -> Option<u64> {
    let handler = HAND_SYNC
        .get(&TypeId::of::<Add>())?
        .downcast_ref::<SyncHandler>()?;
    Some(handler(command))
}

fn hand_async(command: Add) -> Option<u64> {
    let handler = HAND_ASYNC
        .get(&TypeId::of::<Add>())?
        .downcast_ref::<AsyncHandler>()?;
    Some(now(handler(command)))
}

pub fn groups() -> Vec<Group> {
    let _ = (&*COUNTER, &*BUS, &*REGISTRY, &*HAND_SYNC, &*HAND_ASYNC);
    vec![
        Group {
            title: "CQRS: sending a command on the compile-time bus",
            operation: "One command sent and its output used; the handler adds to an atomic.",
            reference: "cqrs_direct_handler",
            cases: vec![
                Case {
                    id: "cqrs_direct_handler",
                    label: "the handler called directly (`CommandHandler::handle`)",
                    run: |n| {
                        repeat(n, || {
                            now(CommandHandler::handle(&*COUNTER, black_box(Add(1))))
                                .unwrap_or_default()
                        });
                    },
                },
                Case {
                    id: "cqrs_static_bus",
                    label: "patternkit `#[derive(Bus)]` `send`",
                    run: |n| repeat(n, || now(BUS.send(black_box(Add(1)))).unwrap_or_default()),
                },
            ],
        },
        Group {
            title: "CQRS: a command without output, its whole result kept",
            operation: "One `Touch` (output `()`, error `Infallible`) sent and the whole `Result` \
                        handed to the caller: the handler's is zero-sized, the bus's carries \
                        the failures a bus adds.",
            reference: "cqrs_direct_unit",
            cases: vec![
                Case {
                    id: "cqrs_direct_unit",
                    label: "the handler called directly (`CommandHandler::handle`)",
                    run: |n| {
                        repeat(n, || {
                            now(CommandHandler::handle(&*COUNTER, black_box(Touch)))
                        });
                    },
                },
                Case {
                    id: "cqrs_static_bus_unit",
                    label: "patternkit `#[derive(Bus)]` `send`",
                    run: |n| repeat(n, || now(BUS.send(black_box(Touch)))),
                },
            ],
        },
        Group {
            title: "CQRS: dispatching through a runtime registry",
            operation: "One command looked up by type and dispatched. The hand-rolled async map \
                        boxes each handler's future, as storing async handlers requires; the \
                        sync map cannot hold async handlers at all.",
            reference: "cqrs_hand_async",
            cases: vec![
                Case {
                    id: "cqrs_hand_sync",
                    label: "hand-rolled `HashMap<TypeId, Box<dyn Any>>`, sync handler",
                    run: |n| repeat(n, || hand_sync(black_box(Add(1)))),
                },
                Case {
                    id: "cqrs_hand_async",
                    label: "hand-rolled `HashMap<TypeId, Box<dyn Any>>`, async handler",
                    run: |n| repeat(n, || hand_async(black_box(Add(1)))),
                },
                Case {
                    id: "cqrs_registry",
                    label: "patternkit `Registry::send`",
                    run: |n| repeat(n, || now(REGISTRY.send(black_box(Add(1))))),
                },
            ],
        },
    ]
}
