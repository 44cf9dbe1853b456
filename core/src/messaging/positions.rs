//! Where a consumer may resume: handlers finish out of order, and the committed position is
//! the lowest offset not yet finished, so a crash redelivers what was in flight and loses
//! nothing.

use std::collections::BTreeSet;

/// The offsets a consumer has started and finished.
///
/// ```
/// use patternkit::messaging::Positions;
///
/// let mut positions = Positions::new(0);
/// for offset in 0..3 {
///     positions.started(offset);
/// }
/// positions.finished(2); // the third finished first
/// assert_eq!(positions.committed(), 0); // 0 and 1 still run: resume from 0
/// positions.finished(0);
/// assert_eq!(positions.committed(), 1);
/// positions.finished(1);
/// assert_eq!(positions.committed(), 3);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    /// Everything below is finished.
    floor: u64,
    /// Started and not finished.
    running: BTreeSet<u64>,
    /// Finished above the floor.
    done: BTreeSet<u64>,
}

impl Positions {
    /// A consumer resuming at `committed` (everything below it was finished).
    #[must_use]
    pub fn new(committed: u64) -> Self {
        Positions {
            floor: committed,
            running: BTreeSet::new(),
            done: BTreeSet::new(),
        }
    }

    /// `offset` was handed to a handler. One below the committed position or already
    /// finished is a redelivery of finished work: returns `false`, and it should be
    /// acknowledged without running again.
    pub fn started(&mut self, offset: u64) -> bool {
        if offset < self.floor || self.done.contains(&offset) {
            return false;
        }
        self.running.insert(offset)
    }

    /// `offset`'s handler finished (its effect is durable).
    pub fn finished(&mut self, offset: u64) {
        self.running.remove(&offset);
        if offset >= self.floor {
            self.done.insert(offset);
        }
        while self.done.remove(&self.floor) {
            self.floor += 1;
        }
    }

    /// `offset`'s handler failed: it will be delivered again.
    pub fn failed(&mut self, offset: u64) {
        self.running.remove(&offset);
    }

    /// The position to commit: the lowest offset not finished. Committing anything higher
    /// would skip a message still being handled if the consumer crashed.
    #[must_use]
    pub fn committed(&self) -> u64 {
        self.floor
    }

    /// Whether `offset` is being handled now.
    #[must_use]
    pub fn is_running(&self, offset: u64) -> bool {
        self.running.contains(&offset)
    }

    /// How many are being handled.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.running.len()
    }
}
