//! An in-process broker that misbehaves on command: it loses acknowledgements (of publishes
//! and of consumers), duplicates, reorders and delays deliveries, and crashes for a while —
//! at random rates from a seed, so a run that finds a bug can be replayed.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::broker::{Broker, BrokerError, BrokerFuture, Delivery, Published};
use super::message::Envelope;

/// How often each fault happens, in parts per thousand of the calls it can affect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// A publish is stored but its acknowledgement is lost (the producer retries).
    pub lose_publish_ack: u32,
    /// A consumer's acknowledgement is lost (the message is delivered again).
    pub lose_consumer_ack: u32,
    /// A delivery is made twice in one batch.
    pub duplicate: u32,
    /// A batch is delivered shuffled.
    pub reorder: u32,
    /// A new message is held back and delivered in a later batch.
    pub delay: u32,
    /// The broker goes away for the next few calls; what consumers had not acknowledged is
    /// delivered again afterwards. Nothing stored is lost.
    pub crash: u32,
}

impl Faults {
    /// Every fault at `per_mille` parts per thousand.
    #[must_use]
    pub fn all(per_mille: u32) -> Self {
        Faults {
            lose_publish_ack: per_mille,
            lose_consumer_ack: per_mille,
            duplicate: per_mille,
            reorder: per_mille,
            delay: per_mille,
            crash: per_mille / 4,
        }
    }
}

/// What the broker did, for a test to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Publish acknowledgements lost.
    pub lost_publish_acks: u64,
    /// Consumer acknowledgements lost.
    pub lost_consumer_acks: u64,
    /// Deliveries duplicated.
    pub duplicated: u64,
    /// Batches reordered.
    pub reordered: u64,
    /// Deliveries delayed.
    pub delayed: u64,
    /// Crashes.
    pub crashes: u64,
    /// Publishes answered as duplicates instead of stored again.
    pub duplicates_suppressed: u64,
}

#[derive(Default)]
struct Consumer {
    /// Next new offset to deliver.
    next: u64,
    /// Delivered (or held back), not acknowledged: offset → fetch round it is due again.
    pending: BTreeMap<u64, (u64, u32)>,
    acked: BTreeSet<u64>,
    round: u64,
}

struct Inner {
    log: Vec<Envelope>,
    ids: HashMap<String, u64>,
    window: VecDeque<String>,
    producers: HashMap<u64, (u32, HashMap<String, u64>)>,
    consumers: HashMap<String, Consumer>,
    random: u64,
    counts: FaultCounts,
    down_for: u32,
}

/// A broker in memory: a stream, deduplication by message id within a window and by producer
/// stamp, named consumers with acknowledgements and redelivery — and [`Faults`].
///
/// ```
/// use patternkit::cqrs::block_on;
/// use patternkit::messaging::{Broker, MemoryBroker, Envelope, MessageId};
///
/// let broker = MemoryBroker::new();
/// let message = Envelope::new(MessageId::new("order-1")?, "order-1", "{}");
/// block_on(async {
///     assert!(!broker.publish(&message).await?.duplicate);
///     assert!(broker.publish(&message).await?.duplicate); // a retry is not stored twice
///     let batch = broker.fetch("billing", 10).await?;
///     assert_eq!(batch.len(), 1);
///     broker.ack("billing", batch[0].offset).await
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MemoryBroker {
    inner: Mutex<Inner>,
    faults: Faults,
    redeliver_after: u64,
    window: usize,
}

impl Default for MemoryBroker {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryBroker {
    /// A broker without faults; unacknowledged deliveries come again after 3 fetches, and
    /// ids are remembered for the last 100 000 messages.
    #[must_use]
    pub fn new() -> Self {
        MemoryBroker {
            inner: Mutex::new(Inner {
                log: Vec::new(),
                ids: HashMap::new(),
                window: VecDeque::new(),
                producers: HashMap::new(),
                consumers: HashMap::new(),
                random: 0x2545_f491_4f6c_dd1d,
                counts: FaultCounts::default(),
                down_for: 0,
            }),
            faults: Faults::default(),
            redeliver_after: 3,
            window: 100_000,
        }
    }

    /// The same broker, misbehaving at these rates, drawn from `seed`.
    #[must_use]
    pub fn with_faults(mut self, faults: Faults, seed: u64) -> Self {
        self.faults = faults;
        self.lock().random = seed | 1;
        self
    }

    /// Deliveries not acknowledged are delivered again after this many fetches by the same
    /// consumer.
    #[must_use]
    pub fn redeliver_after(mut self, fetches: u64) -> Self {
        self.redeliver_after = fetches.max(1);
        self
    }

    /// How many of the latest message ids are remembered for deduplication (JetStream keeps
    /// those of the last two minutes).
    #[must_use]
    pub fn dedup_window(mut self, messages: usize) -> Self {
        self.window = messages;
        self
    }

    /// What the broker did so far.
    #[must_use]
    pub fn counts(&self) -> FaultCounts {
        self.lock().counts
    }

    /// How many messages are stored.
    #[must_use]
    pub fn stored(&self) -> usize {
        self.lock().log.len()
    }

    /// The offsets `consumer` acknowledged (and the broker recorded).
    #[must_use]
    pub fn acked(&self, consumer: &str) -> BTreeSet<u64> {
        self.lock()
            .consumers
            .get(consumer)
            .map(|c| c.acked.clone())
            .unwrap_or_default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    fn roll(&mut self, per_mille: u32) -> bool {
        if per_mille == 0 {
            return false;
        }
        self.random ^= self.random << 13;
        self.random ^= self.random >> 7;
        self.random ^= self.random << 17;
        self.random % 1000 < u64::from(per_mille)
    }

    /// Whether the broker is down for this call (and maybe goes down now).
    fn down(&mut self, crash: u32) -> bool {
        if self.down_for > 0 {
            self.down_for -= 1;
            return true;
        }
        if self.roll(crash) {
            self.counts.crashes += 1;
            self.down_for = 3;
            // What consumers held unacknowledged is delivered again after the restart.
            for consumer in self.consumers.values_mut() {
                for due in consumer.pending.values_mut() {
                    due.0 = 0;
                }
            }
            return true;
        }
        false
    }
}

fn unavailable<T>(why: &str) -> Result<T, BrokerError> {
    Err(BrokerError::Unavailable(why.into()))
}

impl Broker for MemoryBroker {
    fn publish<'a>(&'a self, message: &'a Envelope) -> BrokerFuture<'a, Published> {
        let mut inner = self.lock();
        let done = (|| {
            if inner.down(self.faults.crash) {
                return unavailable("the broker is down (simulated)");
            }
            let id = message.id.as_str();
            let mut duplicate = inner.ids.get(id).copied();
            if let Some(stamp) = message.stamp {
                let (epoch, seqs) = inner.producers.entry(stamp.producer).or_default();
                if stamp.epoch < *epoch {
                    return Err(BrokerError::Fenced);
                }
                if stamp.epoch > *epoch {
                    *epoch = stamp.epoch;
                    seqs.clear();
                }
                let last = seqs.entry(message.key.clone()).or_insert(0);
                if stamp.seq <= *last && duplicate.is_none() {
                    // Seen, but its id left the window: still a duplicate by its stamp.
                    duplicate = Some(u64::MAX);
                }
                *last = (*last).max(stamp.seq);
            }
            if let Some(offset) = duplicate {
                inner.counts.duplicates_suppressed += 1;
                return Ok(Published {
                    offset,
                    duplicate: true,
                });
            }
            let offset = inner.log.len() as u64;
            inner.log.push(message.clone());
            inner.ids.insert(id.to_owned(), offset);
            inner.window.push_back(id.to_owned());
            while inner.window.len() > self.window {
                if let Some(old) = inner.window.pop_front() {
                    inner.ids.remove(&old);
                }
            }
            if inner.roll(self.faults.lose_publish_ack) {
                inner.counts.lost_publish_acks += 1;
                return unavailable("the acknowledgement was lost (simulated)");
            }
            Ok(Published {
                offset,
                duplicate: false,
            })
        })();
        Box::pin(core::future::ready(done))
    }

    fn fetch<'a>(&'a self, consumer: &'a str, max: usize) -> BrokerFuture<'a, Vec<Delivery>> {
        let mut inner = self.lock();
        let done = (|| {
            if inner.down(self.faults.crash) {
                return unavailable("the broker is down (simulated)");
            }
            let stored = inner.log.len() as u64;
            let mut state = inner.consumers.remove(consumer).unwrap_or_default();
            state.round += 1;
            let round = state.round;
            let mut picked: Vec<(u64, u32)> = Vec::new();
            for (&offset, &(due, times)) in &state.pending {
                if picked.len() >= max {
                    break;
                }
                if due <= round {
                    picked.push((offset, times));
                }
            }
            while picked.len() < max && state.next < stored {
                let offset = state.next;
                state.next += 1;
                if inner.roll(self.faults.delay) {
                    inner.counts.delayed += 1;
                    state
                        .pending
                        .insert(offset, (round + self.redeliver_after, 0));
                    continue;
                }
                picked.push((offset, 0));
            }
            let mut batch = Vec::with_capacity(picked.len());
            for (offset, times) in picked {
                state
                    .pending
                    .insert(offset, (round + self.redeliver_after, times + 1));
                let message = &inner.log[usize::try_from(offset).unwrap_or(usize::MAX)];
                let delivery = Delivery {
                    offset,
                    headers: message.headers(),
                    payload: message.payload.clone(),
                    redelivered: times,
                };
                if inner.roll(self.faults.duplicate) {
                    inner.counts.duplicated += 1;
                    batch.push(delivery.clone());
                }
                batch.push(delivery);
            }
            if batch.len() > 1 && inner.roll(self.faults.reorder) {
                inner.counts.reordered += 1;
                for i in (1..batch.len()).rev() {
                    inner.random ^= inner.random << 13;
                    inner.random ^= inner.random >> 7;
                    inner.random ^= inner.random << 17;
                    let j = usize::try_from(inner.random % (i as u64 + 1)).unwrap_or(0);
                    batch.swap(i, j);
                }
            }
            inner.consumers.insert(consumer.to_owned(), state);
            Ok(batch)
        })();
        Box::pin(core::future::ready(done))
    }

    fn ack<'a>(&'a self, consumer: &'a str, offset: u64) -> BrokerFuture<'a, ()> {
        let mut inner = self.lock();
        let done = (|| {
            if inner.down(self.faults.crash) {
                return unavailable("the broker is down (simulated)");
            }
            if inner.roll(self.faults.lose_consumer_ack) {
                inner.counts.lost_consumer_acks += 1;
                // The consumer is told it worked; the broker will deliver it again.
                return Ok(());
            }
            let state = inner.consumers.entry(consumer.to_owned()).or_default();
            state.pending.remove(&offset);
            state.acked.insert(offset);
            Ok(())
        })();
        Box::pin(core::future::ready(done))
    }

    fn acknowledged<'a>(&'a self, consumer: &'a str) -> BrokerFuture<'a, u64> {
        let mut inner = self.lock();
        let done = if inner.down(self.faults.crash) {
            unavailable("the broker is down (simulated)")
        } else {
            let mut below = 0;
            if let Some(state) = inner.consumers.get(consumer) {
                // The acknowledged offsets are ordered: count the run from the first.
                for &offset in &state.acked {
                    if offset != below {
                        break;
                    }
                    below += 1;
                }
            }
            Ok(below)
        };
        Box::pin(core::future::ready(done))
    }
}
