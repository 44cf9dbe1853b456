//! A bus for single-threaded executors and wasm: handlers whose futures are not `Send`
//! (they hold an `Rc` or a `RefCell` borrow across an `.await`) on a `#[bus(local)]`.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use patternkit::cqrs::{
    DispatchError, Incoming, Middleware, Pipeline, ValidationError, block_on, handlers,
};
use patternkit::prelude::*;

/// Pending once, then ready: an `.await` that really suspends.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[derive(Command)]
#[command(output = usize)]
struct Append(&'static str);

#[derive(Query)]
#[query(output = Vec<&'static str>)]
struct Lines;

#[derive(Event)]
struct Appended(usize);

/// State shared by `Rc`, not `Arc`: nothing here is `Send` or `Sync`.
#[derive(Default)]
struct Journal {
    lines: Rc<RefCell<Vec<&'static str>>>,
}

#[handlers(local)]
impl Journal {
    #[command]
    async fn append(&self, Append(line): Append) -> Result<usize, std::convert::Infallible> {
        let lines = Rc::clone(&self.lines);
        YieldOnce(false).await;
        lines.borrow_mut().push(line);
        Ok(lines.borrow().len())
    }

    #[query]
    fn lines(&self, _: Lines) -> Result<Vec<&'static str>, std::convert::Infallible> {
        Ok(self.lines.borrow().clone())
    }
}

#[derive(Default)]
struct Counter {
    seen: Cell<usize>,
}

#[handlers(local)]
impl Counter {
    #[event]
    async fn appended(&self, event: &Appended) -> Result<(), String> {
        let held = Rc::new(event.0);
        YieldOnce(false).await;
        self.seen.set(self.seen.get() + *held);
        if *held > 2 {
            return Err(format!("{held} lines is too many"));
        }
        Ok(())
    }
}

/// An ordinary `Send` handler works on a local bus too.
#[derive(Default)]
struct Echo;

#[derive(Command)]
#[command(output = u8)]
struct Ping(u8);

#[handlers]
impl Echo {
    #[command]
    fn ping(&self, Ping(n): Ping) -> Result<u8, std::convert::Infallible> {
        Ok(n)
    }
}

#[derive(Bus, Default)]
#[bus(local)]
struct LocalBus {
    #[handles(Append, Lines)]
    journal: Journal,
    #[subscribes(Appended)]
    counter: Counter,
    #[handles(Ping)]
    echo: Echo,
}

#[test]
fn a_local_bus_runs_handlers_whose_futures_are_not_send() {
    let bus = LocalBus::default();
    block_on(async {
        assert_eq!(bus.send(Append("one")).await, Ok(1));
        assert_eq!(bus.send(Append("two")).await, Ok(2));
        assert_eq!(bus.ask(Lines).await, Ok(vec!["one", "two"]));
        assert_eq!(bus.send(Ping(9)).await, Ok(9));
        assert!(bus.publish(&Appended(2)).await.is_ok());
        let Err(DispatchError::Handler(errors)) = bus.publish(&Appended(3)).await else {
            panic!("the counter fails for three lines");
        };
        assert_eq!(errors.subscribers().collect::<Vec<_>>(), ["counter"]);
    });
    assert_eq!(bus.counter.seen.get(), 5);
}

struct NoEmptyLines;

impl Middleware for NoEmptyLines {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        match incoming.message::<Append>() {
            Some(Append("")) => Err(ValidationError::new("0", "must not be empty")),
            _ => Ok(()),
        }
    }
}

#[derive(Bus)]
#[bus(local)]
struct Guarded {
    #[middleware]
    pipeline: Pipeline,
    #[handles(Append, Lines)]
    journal: Journal,
}

#[test]
fn a_local_bus_runs_its_middleware() {
    let bus = Guarded {
        pipeline: Pipeline::new().with(NoEmptyLines),
        journal: Journal::default(),
    };
    assert!(matches!(
        block_on(bus.send(Append(""))),
        Err(DispatchError::Rejected { .. })
    ));
    assert_eq!(block_on(bus.send(Append("kept"))), Ok(1));
    assert_eq!(block_on(bus.ask(Lines)), Ok(vec!["kept"]));
}
