//! Idempotent messaging: exactly-once *effects* over a broker that delivers at least once.
//!
//! - [`Producer`]: a stable id, an epoch raised at each start and a sequence per key, so a
//!   retried send is stored once and a producer that outlived its restart is fenced.
//! - [`Consumer`]: acknowledges a message only after its handler succeeded; [`Positions`]
//!   keeps the resume point at the lowest unfinished offset when handlers finish out of order.
//! - Inbox and outbox in the database the effects live in (`patternkit::sqlite::{SqliteInbox,
//!   SqliteOutbox}`): the inbox row and the effect commit together, so a redelivery has no
//!   second effect; the event and the state change commit together, and a relay publishes it
//!   afterwards.
//! - [`Broker`]: what they need from a broker; [`MemoryBroker`] is one in memory that can lose
//!   acknowledgements, duplicate, reorder, delay and crash on command, for tests.
//!
//! ```text
//!  producer ──tx: state + outbox row──▶ DB ──relay──▶ broker ──▶ consumer ──tx: inbox row + effect──▶ DB
//!                                                  ◀── ack (after commit) ──┘
//! ```

mod broker;
mod consumer;
mod memory;
mod message;
mod positions;
mod producer;
mod retention;

pub use broker::{Broker, BrokerError, BrokerFuture, Delivery, Published};
pub use consumer::{Consumer, Polled};
pub use memory::{FaultCounts, Faults, MemoryBroker};
pub use message::{Envelope, ID_HEADER, KEY_HEADER, MessageError, MessageId, STAMP_HEADER, Stamp};
pub use positions::Positions;
pub use producer::{Producer, SendError};
pub use retention::{InboxConfigError, Retention};
