//! A consumer that acknowledges only what took effect: each delivery is parsed, handed to the
//! handler, and acknowledged after the handler succeeded — never before, so a crash between
//! the effect and the acknowledgement redelivers, and the inbox makes the redelivery harmless.

use core::future::Future;

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
    batch: usize,
}

impl<B: Broker> Consumer<B> {
    /// The consumer `name` of `broker`, fetching up to 64 messages at a time.
    pub fn new(broker: B, name: &str) -> Self {
        let first = broker.first_offset();
        Consumer {
            broker,
            name: name.to_owned(),
            positions: Positions::new(first),
            batch: 64,
        }
    }

    /// Fetches up to `batch` messages at a time.
    #[must_use]
    pub fn batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// Fetches a batch and hands each message to `handle`, acknowledging those it succeeded
    /// on. The handler should make its effect and its inbox record in one transaction.
    ///
    /// # Errors
    ///
    /// [`BrokerError`] when the fetch fails (nothing was handled).
    pub async fn poll<F, Fut, E>(&mut self, mut handle: F) -> Result<Polled<E>, BrokerError>
    where
        F: FnMut(Envelope) -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        let deliveries = self.broker.fetch(&self.name, self.batch).await?;
        let mut polled = Polled {
            handled: 0,
            repeated: 0,
            rejected: Vec::new(),
            failed: Vec::new(),
        };
        for delivery in deliveries {
            let message = match delivery.message() {
                Ok(message) => message,
                Err(error) => {
                    polled.rejected.push((delivery.offset, error));
                    continue;
                }
            };
            if !self.positions.started(delivery.offset) {
                // Finished here before (its acknowledgement was lost or came late).
                polled.repeated += 1;
                let _ = self.broker.ack(&self.name, delivery.offset).await;
                continue;
            }
            match handle(message).await {
                Ok(()) => {
                    self.positions.finished(delivery.offset);
                    polled.handled += 1;
                    // A lost acknowledgement means a redelivery, which the inbox absorbs.
                    let _ = self.broker.ack(&self.name, delivery.offset).await;
                }
                Err(error) => {
                    self.positions.failed(delivery.offset);
                    polled.failed.push((delivery.offset, error));
                }
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
        self.broker.ack(&self.name, offset).await
    }

    /// The position below which every message took effect.
    #[must_use]
    pub fn committed(&self) -> u64 {
        self.positions.committed()
    }
}
