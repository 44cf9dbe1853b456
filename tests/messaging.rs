//! The idempotent producer against the in-process broker: retries after lost acknowledgements
//! store each message once, a restarted producer fences the old one, and the consumer's
//! committed position never passes a message still being handled.

use std::sync::Arc;

use patternkit::cqrs::block_on;
use patternkit::messaging::{
    Broker, Faults, MemoryBroker, MessageId, Positions, Producer, SendError,
};
use patternkit::store::MemoryJournal;

#[test]
fn retries_after_lost_acknowledgements_store_each_message_once() {
    let faults = Faults {
        lose_publish_ack: 400,
        ..Faults::default()
    };
    let broker = Arc::new(MemoryBroker::new().with_faults(faults, 7));
    let journal = MemoryJournal::new();
    let producer = block_on(Producer::start(Arc::clone(&broker), &journal, "orders"))
        .unwrap()
        .attempts(20);
    for n in 0..200 {
        let id = MessageId::new(&format!("order-{n}")).unwrap();
        block_on(producer.send(&format!("customer-{}", n % 5), id, "{}")).unwrap();
    }
    let counts = broker.counts();
    assert_eq!(broker.stored(), 200, "{counts:?}");
    assert!(
        counts.lost_publish_acks > 0 && counts.duplicates_suppressed > 0,
        "{counts:?}"
    );
}

#[test]
fn a_restarted_producer_fences_the_one_it_replaces() {
    let broker = Arc::new(MemoryBroker::new());
    let journal = MemoryJournal::new();
    let old = block_on(Producer::start(Arc::clone(&broker), &journal, "orders")).unwrap();
    block_on(old.send("k", MessageId::new("a").unwrap(), "1")).unwrap();
    let new = block_on(Producer::start(Arc::clone(&broker), &journal, "orders")).unwrap();
    assert_eq!((old.epoch(), new.epoch()), (1, 2));
    block_on(new.send("k", MessageId::new("b").unwrap(), "2")).unwrap();
    let error = block_on(old.send("k", MessageId::new("c").unwrap(), "3")).unwrap_err();
    assert_eq!(error, SendError::Fenced);
    assert!(error.to_string().contains("must stop sending"));
    assert_eq!(broker.stored(), 2);
}

/// A journal whose every operation lets other tasks run first, as one across a network does.
struct Yielding(MemoryJournal);

fn after_a_yield<'a, T: Send + 'a>(
    then: patternkit::store::StoreFuture<'a, T>,
) -> patternkit::store::StoreFuture<'a, T> {
    Box::pin(async move {
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                std::task::Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await;
        then.await
    })
}

impl patternkit::store::Journal for Yielding {
    fn append<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        entry: &'a str,
    ) -> patternkit::store::StoreFuture<'a, ()> {
        after_a_yield(self.0.append(stream, key, entry))
    }

    fn read<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
    ) -> patternkit::store::StoreFuture<'a, Vec<String>> {
        after_a_yield(self.0.read(stream, key))
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: patternkit::store::KeyState,
    ) -> patternkit::store::StoreFuture<'a, ()> {
        self.0.set_state(stream, key, state)
    }

    fn keys<'a>(
        &'a self,
        stream: &'a str,
        state: patternkit::store::KeyState,
    ) -> patternkit::store::StoreFuture<'a, Vec<String>> {
        self.0.keys(stream, state)
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: std::time::Duration,
    ) -> patternkit::store::StoreFuture<'a, bool> {
        self.0.lease(stream, key, owner, ttl)
    }

    fn release<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
    ) -> patternkit::store::StoreFuture<'a, ()> {
        self.0.release(stream, key, owner)
    }
}

#[test]
fn two_starts_at_once_get_different_epochs_and_neither_message_is_taken_for_a_retry() {
    let broker = Arc::new(MemoryBroker::new());
    let journal = Yielding(MemoryJournal::new());
    // Both starts run on one task, taking turns at every journal operation.
    let (first, second) = block_on(async {
        let mut first = std::pin::pin!(Producer::start(Arc::clone(&broker), &journal, "orders"));
        let mut second = std::pin::pin!(Producer::start(Arc::clone(&broker), &journal, "orders"));
        let (mut a, mut b) = (None, None);
        std::future::poll_fn(|cx| {
            if a.is_none() {
                if let std::task::Poll::Ready(done) = first.as_mut().poll(cx) {
                    a = Some(done);
                }
            }
            if b.is_none() {
                if let std::task::Poll::Ready(done) = second.as_mut().poll(cx) {
                    b = Some(done);
                }
            }
            if a.is_some() && b.is_some() {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        (a.unwrap().unwrap(), b.unwrap().unwrap())
    });
    let mut epochs = [first.epoch(), second.epoch()];
    epochs.sort_unstable();
    assert_eq!(epochs, [1, 2]);
    let (older, newer) = if first.epoch() < second.epoch() {
        (first, second)
    } else {
        (second, first)
    };
    let sent = block_on(older.send("k", MessageId::new("from-older").unwrap(), "1")).unwrap();
    assert!(!sent.duplicate);
    let sent = block_on(newer.send("k", MessageId::new("from-newer").unwrap(), "2")).unwrap();
    assert!(
        !sent.duplicate,
        "the newer start's first message is its own, not a retry"
    );
    assert_eq!(broker.stored(), 2);
    let error = block_on(older.send("k", MessageId::new("late").unwrap(), "3")).unwrap_err();
    assert_eq!(error, SendError::Fenced);
}

#[test]
fn a_broker_that_stays_away_is_reported_as_unconfirmed_and_safe_to_retry() {
    let faults = Faults {
        crash: 1000,
        ..Faults::default()
    };
    let broker = MemoryBroker::new().with_faults(faults, 3);
    let journal = MemoryJournal::new();
    let producer = block_on(Producer::start(&broker, &journal, "p"))
        .unwrap()
        .attempts(3);
    let error = block_on(producer.send("k", MessageId::new("x").unwrap(), "1")).unwrap_err();
    assert!(matches!(error, SendError::Unconfirmed(_)), "{error}");
    assert!(error.to_string().contains("same id is safe"), "{error}");
    assert!(block_on(broker.fetch("c", 1)).is_err());
}

#[test]
fn the_committed_position_is_the_lowest_unfinished_offset() {
    let mut positions = Positions::new(10);
    assert!(
        !positions.started(9),
        "below the committed position: already done"
    );
    for offset in 10..15 {
        assert!(positions.started(offset));
    }
    positions.finished(13);
    positions.finished(11);
    assert_eq!(positions.committed(), 10);
    positions.failed(10); // comes again
    assert_eq!(positions.committed(), 10);
    assert!(positions.started(10));
    positions.finished(10);
    assert_eq!(positions.committed(), 12);
    assert!(
        !positions.started(13),
        "finished out of order: not run again"
    );
    positions.finished(12);
    positions.finished(14);
    assert_eq!(positions.committed(), 15);
    assert_eq!(positions.in_flight(), 0);
}

/// Publishes `m-{n}` (key `k`, body `{}`) for each `n` of `numbers`.
fn publish_numbered(broker: &MemoryBroker, numbers: std::ops::Range<u64>) {
    for n in numbers {
        let id = MessageId::new(&format!("m-{n}")).unwrap();
        block_on(broker.publish(&patternkit::messaging::Envelope::new(id, "k", "{}"))).unwrap();
    }
}

/// A `MemoryBroker` seen through a test's tap: what the tap changes, the rest passed through.
struct Tapped<M, T> {
    inner: M,
    tap: T,
}

/// What a test changes in a broker: by default, nothing.
trait Tap: Send + Sync {
    /// Whether a publish waits for ever (a broker behind a partition).
    fn stalls(&self) -> bool {
        false
    }
    /// Sees, and may change, a fetched batch.
    fn fetched(&self, batch: &mut [patternkit::messaging::Delivery]) {
        let _ = batch;
    }
    /// Sees an acknowledgement before the broker does.
    fn acking(&self, offset: u64) {
        let _ = offset;
    }
    /// Sees a question about where a consumer stands.
    fn asking(&self) {}
}

impl<M, T> Broker for Tapped<M, T>
where
    M: std::borrow::Borrow<MemoryBroker> + Send + Sync,
    T: Tap,
{
    fn publish<'a>(
        &'a self,
        message: &'a patternkit::messaging::Envelope,
    ) -> patternkit::messaging::BrokerFuture<'a, patternkit::messaging::Published> {
        if self.tap.stalls() {
            return Box::pin(std::future::pending());
        }
        self.inner.borrow().publish(message)
    }

    fn fetch<'a>(
        &'a self,
        consumer: &'a str,
        max: usize,
    ) -> patternkit::messaging::BrokerFuture<'a, Vec<patternkit::messaging::Delivery>> {
        Box::pin(async move {
            let mut batch = self.inner.borrow().fetch(consumer, max).await?;
            self.tap.fetched(&mut batch);
            Ok(batch)
        })
    }

    fn ack<'a>(
        &'a self,
        consumer: &'a str,
        offset: u64,
    ) -> patternkit::messaging::BrokerFuture<'a, ()> {
        self.tap.acking(offset);
        self.inner.borrow().ack(consumer, offset)
    }

    fn acknowledged<'a>(
        &'a self,
        consumer: &'a str,
    ) -> patternkit::messaging::BrokerFuture<'a, u64> {
        self.tap.asking();
        self.inner.borrow().acknowledged(consumer)
    }
}

/// Checks every acknowledgement is for a message whose effect is done.
struct Checking<'a> {
    delivered: std::sync::Mutex<std::collections::HashMap<u64, String>>,
    effects: &'a std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Tap for Checking<'_> {
    fn fetched(&self, batch: &mut [patternkit::messaging::Delivery]) {
        let mut delivered = self.delivered.lock().unwrap();
        for d in batch.iter() {
            delivered.insert(d.offset, d.message().unwrap().id.to_string());
        }
    }

    fn acking(&self, offset: u64) {
        let id = self.delivered.lock().unwrap()[&offset].clone();
        assert!(
            self.effects.lock().unwrap().contains(&id),
            "{id} acknowledged before its effect"
        );
    }
}

/// Strips the id from one delivery, as a foreign publisher would send it.
struct Mangling {
    bad: u64,
}

impl Tap for Mangling {
    fn fetched(&self, batch: &mut [patternkit::messaging::Delivery]) {
        for delivery in batch.iter_mut() {
            if delivery.offset == self.bad {
                delivery.headers.retain(|(name, _)| name != "Nats-Msg-Id");
            }
        }
    }
}

/// Publishes wait for ever while `stalled`, as behind a partition.
struct Stalling {
    stalled: std::sync::atomic::AtomicBool,
}

impl Tap for Stalling {
    fn stalls(&self) -> bool {
        self.stalled.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[test]
fn concurrent_handlers_finish_out_of_order_and_nothing_is_acknowledged_before_its_effect() {
    let faults = Faults {
        duplicate: 1000,
        ..Faults::default()
    };
    let broker = MemoryBroker::new().with_faults(faults, 1);
    for n in 0..8u64 {
        let id = MessageId::new(&format!("m-{n}")).unwrap();
        block_on(broker.publish(&patternkit::messaging::Envelope::new(
            id,
            "k",
            &n.to_string(),
        )))
        .unwrap();
    }
    let effects = std::sync::Mutex::new(std::collections::HashSet::new());
    let checking = Tapped {
        inner: &broker,
        tap: Checking {
            delivered: std::sync::Mutex::new(std::collections::HashMap::new()),
            effects: &effects,
        },
    };
    let mut consumer = patternkit::messaging::Consumer::new(&checking, "c")
        .batch(8)
        .concurrency(4);
    let finished = std::sync::Mutex::new(Vec::new());
    let started = std::time::Instant::now();
    let polled = block_on(consumer.poll(|m: patternkit::messaging::Envelope| {
        // Later messages finish first: 120 ms, 90, 60, 30, … per group of four.
        let n: u64 = m.payload.parse().unwrap();
        let (effects, finished) = (&effects, &finished);
        async move {
            patternkit::time::sleep(std::time::Duration::from_millis(30 * (4 - n % 4))).await;
            effects.lock().unwrap().insert(m.id.to_string());
            finished.lock().unwrap().push(n);
            Ok::<(), String>(())
        }
    }))
    .unwrap();
    assert_eq!(polled.handled, 8);
    assert_eq!(polled.repeated, 8, "every delivery came twice");
    assert_eq!(consumer.committed(), 8);
    let order = finished.lock().unwrap().clone();
    assert_eq!(&order[..4], [3, 2, 1, 0], "out of order within a group");
    // At once: two groups of at most 120 ms; one after another would take 600 ms.
    assert!(
        started.elapsed() < std::time::Duration::from_millis(450),
        "run at once"
    );
}

#[test]
fn a_restarted_consumer_resumes_where_the_broker_has_its_acknowledgements() {
    let broker = MemoryBroker::new().redeliver_after(1);
    publish_numbered(&broker, 0..6);
    let mut first = patternkit::messaging::Consumer::new(&broker, "billing");
    // The handler of m-4 fails: 0 to 3 and 5 are acknowledged, 4 is not.
    let polled = block_on(first.poll(|m: patternkit::messaging::Envelope| async move {
        if m.id.as_str() == "m-4" {
            Err("down")
        } else {
            Ok(())
        }
    }))
    .unwrap();
    assert_eq!((polled.handled, first.committed()), (5, 4));
    drop(first);

    // The process restarts: a new consumer of the same name knows where the last one stood
    // before fetching anything, and after a poll counts on from there.
    let mut second = patternkit::messaging::Consumer::new(&broker, "billing");
    assert_eq!(block_on(second.resume()).unwrap(), 4);
    publish_numbered(&broker, 6..8);
    let mut handled = Vec::new();
    for _ in 0..3 {
        block_on(second.poll(|m: patternkit::messaging::Envelope| {
            handled.push(m.id.to_string());
            async { Ok::<(), String>(()) }
        }))
        .unwrap();
    }
    handled.sort();
    assert_eq!(handled, ["m-4", "m-6", "m-7"]);
    assert_eq!(second.committed(), 8);

    // A consumer the broker has not seen starts at the stream's first message.
    let mut audit = patternkit::messaging::Consumer::new(&broker, "audit");
    assert_eq!(block_on(audit.resume()).unwrap(), 0);
}

/// Counts the questions about where a consumer stands.
#[derive(Default)]
struct Asking(std::sync::atomic::AtomicUsize);

impl Tap for Asking {
    fn asking(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a_message_that_keeps_failing_costs_one_question_to_the_broker_not_one_per_poll() {
    let broker = MemoryBroker::new().redeliver_after(1);
    publish_numbered(&broker, 0..3);
    let asking = Tapped {
        inner: &broker,
        tap: Asking::default(),
    };
    let mut consumer = patternkit::messaging::Consumer::new(&asking, "c");
    for _ in 0..6 {
        block_on(
            consumer.poll(|m: patternkit::messaging::Envelope| async move {
                if m.id.as_str() == "m-0" {
                    Err("poison")
                } else {
                    Ok(())
                }
            }),
        )
        .unwrap();
    }
    assert_eq!(consumer.committed(), 0, "held at the failing one");
    // Once when it started, once when it was first held at 0.
    assert_eq!(asking.tap.0.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn a_message_set_aside_lets_the_committed_position_pass_it() {
    let broker = MemoryBroker::new();
    publish_numbered(&broker, 0..3);
    let mangling = Tapped {
        inner: &broker,
        tap: Mangling { bad: 1 },
    };
    let mut consumer = patternkit::messaging::Consumer::new(&mangling, "c");
    let polled = block_on(consumer.poll(|_| async { Ok::<(), String>(()) })).unwrap();
    assert_eq!(polled.handled, 2);
    assert_eq!(polled.rejected.len(), 1);
    assert_eq!(consumer.committed(), 1, "held at the rejected one");
    block_on(consumer.set_aside(1)).unwrap();
    assert_eq!(consumer.committed(), 3);
    assert_eq!(broker.acked("c").len(), 3);
}

#[test]
fn a_poll_cancelled_while_its_handlers_run_leaves_their_messages_to_run_again() {
    let broker = MemoryBroker::new().redeliver_after(1);
    publish_numbered(&broker, 0..2);
    let mut consumer = patternkit::messaging::Consumer::new(&broker, "c");
    {
        // A timeout or a `select!` drops the poll while its handlers wait.
        let mut poll =
            std::pin::pin!(consumer.poll(|_| std::future::pending::<Result<(), String>>()));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(poll.as_mut().poll(&mut cx).is_pending());
    }
    let handled = std::sync::Mutex::new(Vec::new());
    let mut polled = 0;
    for _ in 0..3 {
        let outcome = block_on(consumer.poll(|m: patternkit::messaging::Envelope| {
            handled.lock().unwrap().push(m.id.to_string());
            async { Ok::<(), String>(()) }
        }))
        .unwrap();
        polled += outcome.handled;
    }
    assert_eq!(polled, 2, "both redelivered messages ran: {handled:?}");
    assert_eq!(consumer.committed(), 2);
    assert_eq!(broker.acked("c").len(), 2);
}

#[test]
fn a_handler_that_panics_leaves_its_message_to_run_again_on_the_same_consumer() {
    let broker = MemoryBroker::new().redeliver_after(1);
    publish_numbered(&broker, 0..1);
    let mut consumer = patternkit::messaging::Consumer::new(&broker, "c");
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        block_on(consumer.poll(|_| async { panic!("the handler's bug") as Result<(), String> }))
    }));
    assert!(panicked.is_err());
    let mut handled = 0;
    for _ in 0..3 {
        handled += block_on(consumer.poll(|_| async { Ok::<(), String>(()) }))
            .unwrap()
            .handled;
    }
    assert_eq!(handled, 1);
    assert_eq!(consumer.committed(), 1);
}

#[test]
fn sends_cancelled_while_the_broker_stalls_do_not_use_up_the_producer() {
    let broker = Arc::new(Tapped {
        inner: MemoryBroker::new(),
        tap: Stalling {
            stalled: std::sync::atomic::AtomicBool::new(true),
        },
    });
    let journal = MemoryJournal::new();
    let producer = Arc::new(block_on(Producer::start(Arc::clone(&broker), &journal, "p")).unwrap());
    // Each send gives up after a timeout (here: after one poll) while the broker stalls,
    // more times than the producer allows sends in flight.
    for n in 0..8 {
        let send = producer.send("k", MessageId::new(&format!("late-{n}")).unwrap(), "{}");
        let mut send = std::pin::pin!(send);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(send.as_mut().poll(&mut cx).is_pending());
    }
    broker
        .tap
        .stalled
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let (done, finished) = std::sync::mpsc::channel();
    let sender = Arc::clone(&producer);
    std::thread::spawn(move || {
        let sent = block_on(sender.send("k", MessageId::new("on-time").unwrap(), "{}"));
        let _ = done.send(sent.is_ok());
    });
    assert_eq!(
        finished.recv_timeout(std::time::Duration::from_secs(5)),
        Ok(true),
        "the send after the stall went through"
    );
    assert_eq!(broker.inner.stored(), 1);
}
