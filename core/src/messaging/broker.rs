//! What the patterns need from a message broker: publish with an id, fetch for a named
//! consumer, acknowledge. NATS JetStream fits it, and so would Kafka.

use core::fmt;
use core::future::Future;
use core::pin::Pin;

use super::message::{Envelope, MessageError};

/// A broker's future.
pub type BrokerFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BrokerError>> + Send + 'a>>;

/// What the broker said to a publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// Where the message is in the stream.
    pub offset: u64,
    /// The broker already had it (a retried send): nothing was stored twice.
    pub duplicate: bool,
}

/// A message as delivered: its position, its raw headers and body (parsed by
/// [`Delivery::message`]), and how many times it was delivered before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Its position in the stream; acknowledge it by this.
    pub offset: u64,
    /// Its headers as the broker holds them.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub payload: String,
    /// Earlier deliveries of it that were not acknowledged.
    pub redelivered: u32,
}

impl Delivery {
    /// The message, if it is one of ours.
    ///
    /// # Errors
    ///
    /// [`MessageError`] for a message without an id or with malformed headers: it should be
    /// set aside (acknowledged and logged, or dead-lettered), never handled.
    pub fn message(&self) -> Result<Envelope, MessageError> {
        Envelope::from_headers(&self.headers, &self.payload)
    }
}

/// Why a broker call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokerError {
    /// The broker could not be reached or did not answer: try again (a publish may have
    /// been stored; its id makes a retry safe).
    Unavailable(String),
    /// The producer's epoch is older than one the broker has seen.
    Fenced,
    /// The broker refused the request.
    Rejected(String),
}

impl fmt::Display for BrokerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrokerError::Unavailable(why) => write!(f, "the broker is unavailable: {why}"),
            BrokerError::Fenced => f.write_str("the producer was fenced by a newer start"),
            BrokerError::Rejected(why) => write!(f, "the broker refused: {why}"),
        }
    }
}

impl std::error::Error for BrokerError {}

/// A stream of messages with acknowledged, at-least-once delivery to named consumers.
pub trait Broker: Send + Sync {
    /// Stores `message` once: a message whose id (or producer stamp) the broker has seen is
    /// answered as a duplicate, not stored again.
    fn publish<'a>(&'a self, message: &'a Envelope) -> BrokerFuture<'a, Published>;

    /// Up to `max` messages for `consumer`: new ones, and ones delivered before but not
    /// acknowledged in time.
    fn fetch<'a>(&'a self, consumer: &'a str, max: usize) -> BrokerFuture<'a, Vec<Delivery>>;

    /// `consumer` is done with the message at `offset`; it is not delivered again.
    fn ack<'a>(&'a self, consumer: &'a str, offset: u64) -> BrokerFuture<'a, ()>;

    /// The offset of the first message of a stream (0 unless the broker counts from 1, as
    /// JetStream does).
    fn first_offset(&self) -> u64 {
        0
    }

    /// The offset below which `consumer` has acknowledged every message the stream still
    /// holds: where a restarted consumer resumes. A consumer the broker has not seen is at
    /// the first message it can still deliver.
    ///
    /// The default is [`first_offset`](Broker::first_offset), right only for a broker that
    /// forgets its consumers; one that keeps them (both here do) says where each stands.
    ///
    /// ```
    /// use patternkit::cqrs::block_on;
    /// use patternkit::messaging::{Broker, Envelope, MemoryBroker, MessageId};
    ///
    /// let broker = MemoryBroker::new();
    /// for id in ["a", "b", "c"] {
    ///     block_on(broker.publish(&Envelope::new(MessageId::new(id)?, "k", "{}")))?;
    /// }
    /// let batch = block_on(broker.fetch("billing", 10))?;
    /// block_on(broker.ack("billing", batch[0].offset))?;
    /// block_on(broker.ack("billing", batch[2].offset))?;
    /// // 0 is acknowledged, 1 is not: a restarted consumer resumes at 1.
    /// assert_eq!(block_on(broker.acknowledged("billing"))?, 1);
    /// assert_eq!(block_on(broker.acknowledged("audit"))?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn acknowledged<'a>(&'a self, consumer: &'a str) -> BrokerFuture<'a, u64> {
        let _ = consumer;
        Box::pin(core::future::ready(Ok(self.first_offset())))
    }
}

impl<B: Broker + ?Sized> Broker for std::sync::Arc<B> {
    fn publish<'a>(&'a self, message: &'a Envelope) -> BrokerFuture<'a, Published> {
        (**self).publish(message)
    }

    fn fetch<'a>(&'a self, consumer: &'a str, max: usize) -> BrokerFuture<'a, Vec<Delivery>> {
        (**self).fetch(consumer, max)
    }

    fn ack<'a>(&'a self, consumer: &'a str, offset: u64) -> BrokerFuture<'a, ()> {
        (**self).ack(consumer, offset)
    }

    fn first_offset(&self) -> u64 {
        (**self).first_offset()
    }

    fn acknowledged<'a>(&'a self, consumer: &'a str) -> BrokerFuture<'a, u64> {
        (**self).acknowledged(consumer)
    }
}

impl<B: Broker + ?Sized> Broker for &B {
    fn publish<'a>(&'a self, message: &'a Envelope) -> BrokerFuture<'a, Published> {
        (**self).publish(message)
    }

    fn fetch<'a>(&'a self, consumer: &'a str, max: usize) -> BrokerFuture<'a, Vec<Delivery>> {
        (**self).fetch(consumer, max)
    }

    fn ack<'a>(&'a self, consumer: &'a str, offset: u64) -> BrokerFuture<'a, ()> {
        (**self).ack(consumer, offset)
    }

    fn first_offset(&self) -> u64 {
        (**self).first_offset()
    }

    fn acknowledged<'a>(&'a self, consumer: &'a str) -> BrokerFuture<'a, u64> {
        (**self).acknowledged(consumer)
    }
}
