//! A consumer that acknowledges only what took effect: each delivery is parsed, handed to the
//! handler, and acknowledged after the handler succeeded — never before, so a crash between
//! the effect and the acknowledgement redelivers, and the inbox makes the redelivery harmless.

use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::Poll;

use super::broker::{Broker, BrokerError};
use super::message::{Envelope, MessageError};
use super::positions::Positions;

/// What one [`Consumer::poll`] did.
#[derive(Debug)]
pub struct Polled<E> {
    /// Deliveries handled and acknowledged.
    pub handled: usize,
    /// Deliveries of messages this consumer had already finished: acknowledged again, not
    /// handled.
    pub repeated: usize,
    /// Deliveries that are not usable messages (no id, malformed headers): neither handled nor
    /// acknowledged. Record them and call [`Consumer::set_aside`].
    pub rejected: Vec<(u64, MessageError)>,
    /// Deliveries whose handler failed: not acknowledged, so they come again.
    pub failed: Vec<(u64, E)>,
}

/// Consumes a stream for one named consumer.
pub struct Consumer<B> {
    broker: B,
    name: String,
    positions: Positions,
    /// Whether the broker has said where this consumer stands.
    resumed: bool,
    /// The committed position the broker was last asked about while it was held there.
    asked_at: Option<u64>,
    batch: usize,
    concurrency: usize,
}

impl<B: Broker> Consumer<B> {
    /// The consumer `name` of `broker`, fetching up to 64 messages at a time.
    pub fn new(broker: B, name: &str) -> Self {
        let first = broker.first_offset();
        Consumer {
            broker,
            name: name.to_owned(),
            positions: Positions::new(first),
            resumed: false,
            asked_at: None,
            batch: 64,
            concurrency: 1,
        }
    }

    /// Fetches up to `batch` messages at a time.
    #[must_use]
    pub fn batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// Runs up to `handlers` of a batch's messages at once (1 by default). They finish in any
    /// order; each is acknowledged once its own handler succeeded, and the committed position
    /// stays at the lowest one not finished.
    #[must_use]
    pub fn concurrency(mut self, handlers: usize) -> Self {
        self.concurrency = handlers.max(1);
        self
    }

    /// Fetches a batch and hands each message to `handle`, acknowledging those it succeeded
    /// on. The handler should make its effect and its inbox record in one transaction.
    ///
    /// Cancel-safe: dropped before it finishes (a timeout, a `select!` on a shutdown signal)
    /// or unwound by a panicking handler, the poll leaves the messages it had not finished to
    /// run again when they are redelivered.
    ///
    /// # Errors
    ///
    /// [`BrokerError`] when the fetch fails (nothing was handled).
    pub async fn poll<F, Fut, E>(&mut self, mut handle: F) -> Result<Polled<E>, BrokerError>
    where
        F: FnMut(Envelope) -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        self.resume().await?;
        let deliveries = self.broker.fetch(&self.name, self.batch).await?;
        let Consumer {
            broker,
            name,
            positions,
            concurrency,
            asked_at,
            ..
        } = self;
        let mut polled = Polled {
            handled: 0,
            repeated: 0,
            rejected: Vec::new(),
            failed: Vec::new(),
        };
        // Settles what this poll started if it ends early: see `InFlight`.
        let mut in_flight = InFlight {
            positions,
            offsets: Vec::new(),
        };
        let mut runnable = Vec::new();
        for delivery in deliveries {
            let message = match delivery.message() {
                Ok(message) => message,
                Err(error) => {
                    polled.rejected.push((delivery.offset, error));
                    continue;
                }
            };
            if !in_flight.start(delivery.offset) {
                polled.repeated += 1;
                // Finished here before (its acknowledgement was lost or came late): say so
                // again. One still running is acknowledged when it finishes.
                if !in_flight.positions.is_running(delivery.offset) {
                    let _ = broker.ack(name, delivery.offset).await;
                }
                continue;
            }
            runnable.push((delivery.offset, message));
        }
        let mut runnable = runnable.into_iter();
        loop {
            let group: Vec<(u64, Envelope)> = runnable.by_ref().take(*concurrency).collect();
            if group.is_empty() {
                break;
            }
            let (offsets, handlers): (Vec<u64>, Vec<Fut>) = group
                .into_iter()
                .map(|(offset, m)| (offset, handle(m)))
                .unzip();
            for (offset, done) in offsets.into_iter().zip(all(handlers).await) {
                match done {
                    Ok(()) => {
                        in_flight.finished(offset);
                        polled.handled += 1;
                        // A lost acknowledgement means a redelivery, which the inbox absorbs.
                        let _ = broker.ack(name, offset).await;
                    }
                    Err(error) => {
                        in_flight.failed(offset);
                        polled.failed.push((offset, error));
                    }
                }
            }
        }
        drop(in_flight);
        let held_at = positions.committed();
        if positions.is_held() && *asked_at != Some(held_at) {
            // What holds the position back may have been acknowledged under this name before
            // a restart, and will not come again; only the broker knows. Asked once for each
            // position it is held at (a message that keeps failing costs one question, not
            // one per poll), and only to move the position up.
            if let Ok(acknowledged) = broker.acknowledged(name).await {
                *asked_at = Some(held_at);
                positions.finished_below(acknowledged);
            }
        }
        Ok(polled)
    }

    /// Acknowledges a rejected delivery once it has been recorded elsewhere (a dead-letter
    /// table, a log), so it stops coming back.
    ///
    /// # Errors
    ///
    /// [`BrokerError`] when the broker cannot be told.
    pub async fn set_aside(&mut self, offset: u64) -> Result<(), BrokerError> {
        self.broker.ack(&self.name, offset).await?;
        // Settled: the committed position may pass it.
        self.positions.finished(offset);
        Ok(())
    }

    /// Asks the broker where this consumer stands (what it acknowledged before a restart,
    /// under this name) and returns the committed position from there. The first
    /// [`poll`](Consumer::poll) does it; call it first to know the position before anything
    /// is fetched. Once it has succeeded, calling it again only returns the position.
    ///
    /// ```
    /// use patternkit::cqrs::block_on;
    /// use patternkit::messaging::{Broker, Consumer, Envelope, MemoryBroker, MessageId};
    ///
    /// let broker = MemoryBroker::new();
    /// for id in ["a", "b"] {
    ///     block_on(broker.publish(&Envelope::new(MessageId::new(id)?, "k", "{}")))?;
    /// }
    /// let mut first = Consumer::new(&broker, "billing");
    /// block_on(first.poll(|_| async { Ok::<(), String>(()) }))?;
    /// drop(first); // the process stops
    ///
    /// let mut again = Consumer::new(&broker, "billing");
    /// assert_eq!(block_on(again.resume())?, 2); // both were handled before
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`BrokerError`] when the broker cannot say; nothing changed, and the next call asks
    /// again.
    pub async fn resume(&mut self) -> Result<u64, BrokerError> {
        if !self.resumed {
            let acknowledged = self.broker.acknowledged(&self.name).await?;
            self.positions.finished_below(acknowledged);
            self.resumed = true;
        }
        Ok(self.positions.committed())
    }

    /// The position below which every message took effect: from where the broker said this
    /// consumer stood (see [`resume`](Consumer::resume); before that, the stream's first
    /// offset), as far as it has finished them since without a gap. A gap the broker says was
    /// filled before a restart (acknowledged then, never to come again) is closed by the next
    /// [`poll`](Consumer::poll).
    #[must_use]
    pub fn committed(&self) -> u64 {
        self.positions.committed()
    }
}

/// The offsets one [`Consumer::poll`] started and has not settled. A poll that ends before
/// settling them — dropped by a timeout or a `select!`, or unwound by a panicking handler —
/// marks them failed as it goes, so their redelivery runs them again instead of being taken
/// for work still in progress by this consumer. One whose effect was done comes again all the
/// same, and the inbox absorbs it.
struct InFlight<'a> {
    positions: &'a mut Positions,
    offsets: Vec<u64>,
}

impl InFlight<'_> {
    fn start(&mut self, offset: u64) -> bool {
        let started = self.positions.started(offset);
        if started {
            self.offsets.push(offset);
        }
        started
    }

    fn finished(&mut self, offset: u64) {
        self.offsets.retain(|&o| o != offset);
        self.positions.finished(offset);
    }

    fn failed(&mut self, offset: u64) {
        self.offsets.retain(|&o| o != offset);
        self.positions.failed(offset);
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        for offset in self.offsets.drain(..) {
            self.positions.failed(offset);
        }
    }
}

/// Runs `futures` at once on the calling task; their outputs in the given order.
async fn all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pending: Vec<Option<Pin<Box<F>>>> =
        futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut ready = true;
        for (slot, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => ready = false,
                }
            }
        }
        if ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
