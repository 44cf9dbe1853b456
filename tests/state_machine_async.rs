//! Async guards, actions and hooks (`guard.await`, `then action.await`,
//! `#[state(entry = hook.await)]`): `fire`, `start`, `next` and `can` become `async fn`s,
//! run by any executor — here a plain poll loop and tokio.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use patternkit::StateMachine;
use patternkit::state_machine::FireError;

/// Runs a future to completion with no executor at all: what "executor-agnostic" means.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A future that is pending once before it is ready, as real I/O would be.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

#[derive(Debug, PartialEq)]
struct Unreachable;

enum Ev {
    Connect { host: &'static str },
    Send(u32),
    Close,
}

#[derive(Default)]
struct Net {
    up: Vec<&'static str>,
    sent: Vec<u32>,
    log: Vec<String>,
}

async fn reachable(_: &Link, event: &Ev, net: &Net) -> bool {
    yield_once().await;
    matches!(event, Ev::Connect { host } if net.up.contains(host))
}

async fn open(event: &Ev, net: &mut Net) -> Session {
    yield_once().await;
    let Ev::Connect { host } = event else {
        unreachable!("the row matches only Connect")
    };
    net.log.push(format!("open {host}"));
    Session { host }
}

async fn send(session: &mut Session, event: &Ev, net: &mut Net) -> Result<(), Unreachable> {
    yield_once().await;
    if !net.up.contains(&session.host) {
        return Err(Unreachable);
    }
    if let Ev::Send(n) = event {
        net.sent.push(*n);
    }
    Ok(())
}

async fn greet(session: &Session, net: &mut Net) {
    yield_once().await;
    net.log.push(format!("hello {}", session.host));
}

fn bye(net: &mut Net) {
    net.log.push("bye".into());
}

#[derive(Debug, PartialEq)]
struct Session {
    host: &'static str,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Net, error = Unreachable, initial = Closed, transitions = [
    Closed + Connect => Open if reachable.await then open.await,
    Open   + Send    => _ then send.await?,
    Open   + Close   => Closed,
])]
enum Link {
    Closed,
    #[state(entry = &greet.await, exit = bye)]
    Open(Session),
}

#[test]
fn async_guards_actions_and_hooks_run_in_order() {
    let mut net = Net {
        up: vec!["a.local"],
        ..Net::default()
    };
    let mut link = Link::initial();
    block_on(async {
        assert!(!link.can(&Ev::Connect { host: "b.local" }, &net).await);
        assert!(
            link.fire(&Ev::Connect { host: "b.local" }, &mut net)
                .await
                .is_err()
        );
        link.fire(&Ev::Connect { host: "a.local" }, &mut net)
            .await
            .unwrap();
        link.fire(&Ev::Send(1), &mut net).await.unwrap();
        net.up.clear();
        assert_eq!(
            link.fire(&Ev::Send(2), &mut net).await,
            Err(FireError::Action(Unreachable))
        );
        link.fire(&Ev::Close, &mut net).await.unwrap();
    });
    assert_eq!(link, Link::Closed);
    assert_eq!(net.sent, [1]);
    assert_eq!(net.log, ["open a.local", "hello a.local", "bye"]);
}

#[test]
fn an_async_machine_runs_on_tokio_too() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut net = Net {
        up: vec!["a.local"],
        ..Net::default()
    };
    let mut link = Link::Open(Session { host: "a.local" });
    runtime.block_on(async {
        link.start(&mut net).await;
        link.fire(&Ev::Send(7), &mut net).await.unwrap();
    });
    assert_eq!(net.sent, [7]);
    assert_eq!(net.log, ["hello a.local"]);
}
