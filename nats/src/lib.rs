//! NATS JetStream as the broker of patternkit's idempotent messaging
//! ([`patternkit::messaging`](patternkit_core::messaging)).
//!
//! Depend on `patternkit` with the `nats` feature and use `patternkit::nats`. The connection
//! runs on the tokio runtime it is made on.
//!
//! ```no_run
//! use patternkit::messaging::{Broker, Envelope, MessageId};
//! use patternkit::nats::NatsBroker;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let broker = NatsBroker::connect("127.0.0.1:4222", "ORDERS", "orders.events").await?;
//! let message = Envelope::new(MessageId::new("order-42")?, "customer-7", "{}");
//! let first = broker.publish(&message).await?;
//! let retry = broker.publish(&message).await?; // within the window: not stored again
//! assert!(!first.duplicate && retry.duplicate);
//! # Ok(())
//! # }
//! ```
//!
//! Streams are made on file storage with a deduplication window (two minutes by default):
//! the server keeps the `Nats-Msg-Id` of every message published within it and answers a
//! second one as a duplicate. Each consumer name is a durable pull consumer with explicit
//! acknowledgements; a delivery not acknowledged within `ack_wait` comes again. A published
//! message is durable on the server according to its `sync_interval` (JetStream flushes to
//! disk every two minutes by default; a server whose loss of acknowledged writes matters
//! should set `sync_interval: always`).

mod connection;
mod jetstream;

pub use jetstream::{NatsBroker, StreamConfig};
