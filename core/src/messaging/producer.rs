//! The idempotent producer: a stable id, an epoch raised at each start (kept in a journal),
//! and a sequence per key, so a retried send is recognised as the same message and a producer
//! that outlived its restart is fenced off — Kafka's `enable.idempotence`, for any broker.

use core::future::poll_fn;
use core::task::{Poll, Waker};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::store::{Journal, StoreError};

use super::broker::{Broker, BrokerError, Published};
use super::message::{Envelope, MessageId, Stamp};

/// Why a send failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// A newer start of this producer exists: this one must stop.
    Fenced,
    /// The broker did not confirm within the attempts (the message may or may not be stored;
    /// sending it again with the same id is safe).
    Unconfirmed(String),
    /// The broker refused the message.
    Rejected(String),
}

impl core::fmt::Display for SendError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SendError::Fenced => f.write_str(
                "this producer was fenced: a newer start of it exists, so it must stop sending",
            ),
            SendError::Unconfirmed(why) => write!(
                f,
                "the broker did not confirm the message ({why}); sending it again with the same \
                 id is safe"
            ),
            SendError::Rejected(why) => write!(f, "the broker refused the message: {why}"),
        }
    }
}

impl std::error::Error for SendError {}

/// Sends messages through a [`Broker`] so that a retry never stores one twice.
pub struct Producer<B> {
    broker: B,
    id: u64,
    epoch: u32,
    seqs: Mutex<BTreeMap<String, u64>>,
    gate: Gate,
    attempts: u32,
}

/// A text no other start of any producer writes: this process, a count within it, and the
/// time.
fn start_token() -> String {
    static STARTS: AtomicU64 = AtomicU64::new(0);
    let count = STARTS.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    format!("start {} {count} {nanos}", std::process::id())
}

/// The stable id of the producer called `name` (FNV-1a).
fn producer_id(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl<B: Broker> Producer<B> {
    /// Starts the producer called `name`: its epoch is one above the last start recorded in
    /// `journal` (written before the first send), so every earlier start is fenced.
    ///
    /// The start is appended first and its epoch is its place among the starts read back, so
    /// two processes starting the same producer at once get different epochs (reading the
    /// count first would give both the same one, and the broker would take the second one's
    /// messages for retries of the first one's).
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the journal cannot record the start.
    pub async fn start<J: Journal>(broker: B, journal: &J, name: &str) -> Result<Self, StoreError> {
        let token = start_token();
        journal.append("producer", name, &token).await?;
        let starts = journal.read("producer", name).await?;
        let Some(place) = starts.iter().position(|start| *start == token) else {
            return Err(StoreError::Corrupt {
                key: name.to_owned(),
                reason: "the start just recorded is not in the journal".into(),
            });
        };
        let epoch = u32::try_from(place + 1).unwrap_or(u32::MAX);
        Ok(Producer {
            broker,
            id: producer_id(name),
            epoch,
            seqs: Mutex::new(BTreeMap::new()),
            gate: Gate::new(5),
            attempts: 5,
        })
    }

    /// At most `max` sends unconfirmed at once (5 by default, as Kafka's broker remembers the
    /// last 5 batches of a producer). Keep it within the broker's deduplication window.
    #[must_use]
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.gate = Gate::new(max.max(1));
        self
    }

    /// Tries a send up to `attempts` times (5 by default) before giving up.
    #[must_use]
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// This start's epoch.
    #[must_use]
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// Sends `payload` under `id`, in order for `key`. The stamp is taken once, so retries
    /// carry the same one and the broker stores the message once.
    ///
    /// A send dropped before it is confirmed (a timeout around it) gives back its place among
    /// the [`max_in_flight`](Producer::max_in_flight); whether the broker stored the message
    /// is then unknown, as after [`SendError::Unconfirmed`], and sending it again under the
    /// same `id` is safe.
    ///
    /// # Errors
    ///
    /// [`SendError::Fenced`] when a newer start of this producer exists;
    /// [`SendError::Unconfirmed`] when every attempt went unconfirmed;
    /// [`SendError::Rejected`].
    pub async fn send(
        &self,
        key: &str,
        id: MessageId,
        payload: &str,
    ) -> Result<Published, SendError> {
        let seq = {
            let mut seqs = self.seqs.lock().unwrap_or_else(PoisonError::into_inner);
            let next = seqs.entry(key.to_owned()).or_insert(0);
            *next += 1;
            *next
        };
        let message = Envelope {
            stamp: Some(Stamp {
                producer: self.id,
                epoch: self.epoch,
                seq,
            }),
            ..Envelope::new(id, key, payload)
        };
        // Held until the send ends, however it ends: a send dropped by a timeout, or unwound
        // by a panic, gives its place back.
        let _permit = self.gate.enter().await;
        self.send_stamped(&message).await
    }

    async fn send_stamped(&self, message: &Envelope) -> Result<Published, SendError> {
        let mut last = String::new();
        for attempt in 0..self.attempts {
            match self.broker.publish(message).await {
                Ok(published) => return Ok(published),
                Err(BrokerError::Fenced) => return Err(SendError::Fenced),
                Err(BrokerError::Rejected(why)) => return Err(SendError::Rejected(why)),
                Err(BrokerError::Unavailable(why)) => last = why,
            }
            crate::time::sleep(Duration::from_millis(1 << attempt.min(8))).await;
        }
        Err(SendError::Unconfirmed(last))
    }
}

/// At most `max` holders at once; the others wait in order.
struct Gate {
    max: usize,
    state: Mutex<(usize, VecDeque<Waker>)>,
}

impl Gate {
    fn new(max: usize) -> Self {
        Gate {
            max,
            state: Mutex::new((0, VecDeque::new())),
        }
    }

    /// Waits for a place; the place is given back when the returned permit is dropped.
    async fn enter(&self) -> Permit<'_> {
        poll_fn(|cx| {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.0 < self.max {
                state.0 += 1;
                Poll::Ready(())
            } else {
                state.1.push_back(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        Permit(self)
    }

    /// Leaves, waking every waiter: one gets in, the others queue again. (Waking one could
    /// be lost on a waiter dropped meanwhile; there are at most a few.)
    fn leave(&self) {
        let wakers: Vec<Waker> = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 -= 1;
            state.1.drain(..).collect()
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

/// A place in the [`Gate`], given back when dropped.
struct Permit<'a>(&'a Gate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}
