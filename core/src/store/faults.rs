//! A journal that fails on command, to prove that work driven by a journal survives a crash
//! at any write.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::{Journal, KeyState, StoreError, StoreFuture};

/// Where, around the chosen write, the simulated crash happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashPoint {
    /// The write is lost: it fails and nothing is stored (a crash just before it, or right
    /// after the action it would have recorded).
    BeforeWrite,
    /// The write is stored, but the caller never learns it (a crash just after it).
    AfterWrite,
}

/// Wraps a journal and "crashes" at its `n`th write (appends and state changes, from 0):
/// that call and every call after it fail with [`StoreError::Unavailable`], as they would
/// for a process that died there. Reads before the crash pass through.
///
/// # Example
///
/// ```
/// use patternkit::store::{CrashPoint, FaultyJournal, Journal, MemoryJournal};
/// use patternkit::cqrs::block_on;
///
/// let journal = FaultyJournal::new(MemoryJournal::new()).crash_at(1, CrashPoint::AfterWrite);
/// block_on(async {
///     journal.append("s", "k", "first").await.unwrap();
///     assert!(journal.append("s", "k", "second").await.is_err()); // stored, then the crash
///     assert!(journal.append("s", "k", "third").await.is_err()); // dead
///     assert_eq!(journal.inner().read("s", "k").await.unwrap(), ["first", "second"]);
/// });
/// ```
pub struct FaultyJournal<J> {
    inner: J,
    writes: AtomicUsize,
    crash: Option<(usize, CrashPoint)>,
    dead: AtomicBool,
}

impl<J: Journal> FaultyJournal<J> {
    /// `inner`, failing nowhere until told.
    pub fn new(inner: J) -> Self {
        FaultyJournal {
            inner,
            writes: AtomicUsize::new(0),
            crash: None,
            dead: AtomicBool::new(false),
        }
    }

    /// Crashes at write `n` (from 0), before or after it is stored.
    #[must_use]
    pub fn crash_at(mut self, n: usize, point: CrashPoint) -> Self {
        self.crash = Some((n, point));
        self
    }

    /// How many writes were attempted.
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }

    /// Whether the crash has happened.
    pub fn crashed(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    /// The journal underneath, as the crash left it.
    pub fn inner(&self) -> &J {
        &self.inner
    }

    fn dead<'a, T: Send + 'a>() -> StoreFuture<'a, T> {
        Box::pin(core::future::ready(Err(StoreError::Unavailable(
            "the process crashed here (simulated)".into(),
        ))))
    }

    /// Runs the write `make` starts unless this is the crash point (or after it). The write
    /// is only started when it is to happen: a journal may do its work when called.
    fn write<'a>(&'a self, make: impl FnOnce() -> StoreFuture<'a, ()>) -> StoreFuture<'a, ()> {
        if self.crashed() {
            return Self::dead();
        }
        let n = self.writes.fetch_add(1, Ordering::SeqCst);
        match self.crash {
            Some((at, CrashPoint::BeforeWrite)) if at == n => {
                self.dead.store(true, Ordering::SeqCst);
                Self::dead()
            }
            Some((at, CrashPoint::AfterWrite)) if at == n => {
                self.dead.store(true, Ordering::SeqCst);
                let write = make();
                Box::pin(async move {
                    write.await?;
                    Err(StoreError::Unavailable(
                        "the process crashed here (simulated)".into(),
                    ))
                })
            }
            _ => make(),
        }
    }
}

impl<J: Journal> Journal for FaultyJournal<J> {
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()> {
        self.write(|| self.inner.append(stream, key, entry))
    }

    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>> {
        if self.crashed() {
            return Self::dead();
        }
        self.inner.read(stream, key)
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()> {
        self.write(|| self.inner.set_state(stream, key, state))
    }

    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>> {
        if self.crashed() {
            return Self::dead();
        }
        self.inner.keys(stream, state)
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        if self.crashed() {
            return Self::dead();
        }
        self.inner.lease(stream, key, owner, ttl)
    }

    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        if self.crashed() {
            return Self::dead();
        }
        self.inner.release(stream, key, owner)
    }
}
