//! Where a consumer may resume: handlers finish out of order, and the committed position is
//! the lowest offset not yet finished, so a crash redelivers what was in flight and loses
//! nothing.

use std::collections::BTreeSet;

/// How many finished offsets above the committed position are remembered (see [`Positions`]).
const REMEMBERED: usize = 4096;

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
///
/// An offset that never comes here (another consumer's, or one the broker dropped) holds the
/// committed position where it is; a restarted consumer learns from its broker what it
/// finished before ([`finished_below`](Positions::finished_below)). The finished offsets
/// above the position are remembered up to 4,096, the oldest forgotten first, so a
/// long-running consumer's memory stays bounded. A late redelivery of a forgotten one is
/// handled again, which the inbox absorbs.
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

    /// `offset`'s handler finished (its effect is durable), or the message was settled some
    /// other way (set aside).
    pub fn finished(&mut self, offset: u64) {
        self.running.remove(&offset);
        if offset >= self.floor {
            self.done.insert(offset);
        }
        while self.done.remove(&self.floor) {
            self.floor += 1;
        }
        while self.done.len() > REMEMBERED {
            self.done.pop_first();
        }
    }

    /// Every offset below `offset` is finished: what a broker reports a restarted consumer
    /// acknowledged before. The committed position moves up to it, and on past what was
    /// finished above it; it never moves down.
    ///
    /// ```
    /// use patternkit::messaging::Positions;
    ///
    /// let mut positions = Positions::new(0);
    /// positions.started(12);
    /// positions.finished(12);
    /// positions.finished_below(12); // the broker had 0 to 11 acknowledged
    /// assert_eq!(positions.committed(), 13);
    /// positions.finished_below(5);
    /// assert_eq!(positions.committed(), 13);
    /// ```
    pub fn finished_below(&mut self, offset: u64) {
        if offset <= self.floor {
            return;
        }
        self.floor = offset;
        self.done = self.done.split_off(&offset);
        self.running = self.running.split_off(&offset);
        while self.done.remove(&self.floor) {
            self.floor += 1;
        }
    }

    /// Whether something finished waits above the committed position for an offset not
    /// being handled here.
    pub(crate) fn is_held(&self) -> bool {
        !self.done.is_empty() && !self.running.contains(&self.floor)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_an_offset_that_never_comes_memory_stays_bounded() {
        // A consumer restarted where the broker had acknowledged up to 999: offsets from 1,000.
        let mut positions = Positions::new(0);
        for offset in 1_000..21_000 {
            assert!(positions.started(offset));
            positions.finished(offset);
        }
        assert_eq!(
            positions.committed(),
            0,
            "nothing below 1,000 was seen finished"
        );
        assert_eq!(positions.done.len(), REMEMBERED);
        // A recent redelivery is known; a forgotten one runs again.
        assert!(!positions.started(20_999));
        assert!(positions.started(1_000));
        assert_eq!(positions.in_flight(), 1);
    }

    #[test]
    fn a_set_aside_offset_lets_the_position_pass() {
        let mut positions = Positions::new(0);
        positions.started(1);
        positions.finished(1);
        assert_eq!(
            positions.committed(),
            0,
            "offset 0 was rejected, not started"
        );
        positions.finished(0);
        assert_eq!(positions.committed(), 2);
        assert!(positions.done.is_empty());
    }
}
