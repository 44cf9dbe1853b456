//! Who is initialising which lazily created value right now — a `#[singleton]`, or a
//! singleton of a compile-time DI container — so that an initialiser which needs its own
//! value (on this thread, or through threads waiting on each other) is reported as a cycle
//! instead of blocking forever.
//!
//! Only the first access of each value comes here; the table is empty in steady state.
//! Under `--cfg loom` the same code runs on loom's mutex, condition variable and threads, so
//! its interleavings can be checked exhaustively (`.ci/run` does).

#[cfg(loom)]
use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(loom)]
use loom::thread::{self, ThreadId};
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
use std::thread::{self, ThreadId};

use std::sync::PoisonError;

struct InProgress {
    key: usize,
    name: &'static str,
    owner: ThreadId,
}

struct Waiting {
    thread: ThreadId,
    key: usize,
}

/// Claims in the order they were made, so one thread's entries read as its call chain.
struct Table {
    in_progress: Vec<InProgress>,
    waiting: Vec<Waiting>,
}

/// The table and the signal that a claim was released.
pub(crate) struct Registry {
    table: Mutex<Table>,
    released: Condvar,
}

/// The answer to [`Registry::claim`].
pub(crate) enum Claimed<'a> {
    /// The singleton was initialised meanwhile.
    Done,
    /// This thread may initialise it, until the claim is dropped.
    Mine(Claim<'a>),
    /// Waiting would never end: the chain of claims, as `A -> B -> A`.
    Cycle(String),
}

/// The right to run one singleton's initialiser; dropping it (also while unwinding from a
/// panicking initialiser) lets the next thread try.
pub(crate) struct Claim<'a> {
    registry: &'a Registry,
    key: usize,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut table = self.registry.lock();
        if let Some(index) = table.in_progress.iter().position(|e| e.key == self.key) {
            table.in_progress.remove(index);
        }
        drop(table);
        self.registry.released.notify_all();
    }
}

const EMPTY: Table = Table {
    in_progress: Vec::new(),
    waiting: Vec::new(),
};

/// The registry every singleton of the process shares.
#[cfg(not(loom))]
pub(crate) fn global() -> &'static Registry {
    static REGISTRY: Registry = Registry {
        table: Mutex::new(EMPTY),
        released: Condvar::new(),
    };
    &REGISTRY
}

#[cfg(loom)]
pub(crate) fn global() -> &'static Registry {
    loom::lazy_static! {
        static ref REGISTRY: Registry = Registry::new();
    }
    &REGISTRY
}

impl Registry {
    #[cfg(loom)]
    fn new() -> Self {
        Registry {
            table: Mutex::new(EMPTY),
            released: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // Nothing panics while the table is locked, and its entries stay consistent even if
        // something did, so a poisoned lock is used as it is.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until the singleton `key` is initialised, or this thread may initialise it, or
    /// waiting would never end because the singleton's initialiser is, directly or through
    /// other singletons and threads, waiting for this thread.
    pub(crate) fn claim(
        &self,
        key: usize,
        name: &'static str,
        is_done: impl Fn() -> bool,
    ) -> Claimed<'_> {
        let me = thread::current().id();
        let mut table = self.lock();
        loop {
            if is_done() {
                return Claimed::Done;
            }
            if table.owner(key).is_none() {
                table.in_progress.push(InProgress {
                    key,
                    name,
                    owner: me,
                });
                return Claimed::Mine(Claim {
                    registry: self,
                    key,
                });
            }
            if let Some(cycle) = table.cycle(me, key) {
                return Claimed::Cycle(cycle);
            }
            table.waiting.push(Waiting { thread: me, key });
            table = self
                .released
                .wait(table)
                .unwrap_or_else(PoisonError::into_inner);
            table.waiting.retain(|w| w.thread != me);
        }
    }

    /// Blocks until `is_done()` holds. A value set outside a claim must be followed by
    /// [`Registry::announce`], or this may wait for the next claim to end.
    pub(crate) fn wait_until(&self, is_done: impl Fn() -> bool) {
        let mut table = self.lock();
        while !is_done() {
            table = self
                .released
                .wait(table)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Wakes every thread in [`Registry::wait_until`] after a value was set without a claim.
    pub(crate) fn announce(&self) {
        // Taking the lock orders the store before a waiter's check, so no wake-up is lost.
        drop(self.lock());
        self.released.notify_all();
    }
}

impl Table {
    fn owner(&self, key: usize) -> Option<ThreadId> {
        self.in_progress
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.owner)
    }

    /// The names along the chain of claims from `wanted` back to a claim held by `me`, if
    /// waiting for `wanted` would wait for `me`: `A -> B -> A`.
    fn cycle(&self, me: ThreadId, wanted: usize) -> Option<String> {
        let mut others = Vec::new();
        let mut key = wanted;
        // Each step moves to another thread; more steps than claims means no cycle.
        for _ in 0..=self.in_progress.len() {
            let owner = self.owner(key)?;
            if owner == me {
                let mut names = self.held_from(me, key);
                names.extend(others);
                names.push(self.name(key));
                return Some(names.join(" -> "));
            }
            others.extend(self.held_from(owner, key));
            key = self.waiting.iter().find(|w| w.thread == owner)?.key;
        }
        None
    }

    /// The names of `thread`'s claims from `key` onwards, in the order it made them.
    fn held_from(&self, thread: ThreadId, key: usize) -> Vec<&'static str> {
        self.in_progress
            .iter()
            .filter(|e| e.owner == thread)
            .skip_while(|e| e.key != key)
            .map(|e| e.name)
            .collect()
    }

    fn name(&self, key: usize) -> &'static str {
        self.in_progress
            .iter()
            .find(|e| e.key == key)
            .map_or("?", |e| e.name)
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::{Claimed, Registry};

    /// Racing threads: exactly one initialises, the others see it done.
    #[test]
    fn one_thread_initialises() {
        loom::model(|| {
            let registry = Arc::new(Registry::new());
            let done = Arc::new(AtomicBool::new(false));
            let inits = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let (registry, done, inits) =
                        (Arc::clone(&registry), Arc::clone(&done), Arc::clone(&inits));
                    loom::thread::spawn(move || {
                        match registry.claim(1, "A", || done.load(Ordering::Acquire)) {
                            Claimed::Mine(claim) => {
                                inits.fetch_add(1, Ordering::Relaxed);
                                done.store(true, Ordering::Release);
                                drop(claim);
                            }
                            Claimed::Done => {}
                            Claimed::Cycle(cycle) => panic!("no cycle here: {cycle}"),
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            assert_eq!(inits.load(Ordering::Relaxed), 1);
        });
    }

    /// A failed initialiser releases its claim and a waiting thread takes over.
    #[test]
    fn a_failed_claim_passes_on() {
        loom::model(|| {
            let registry = Arc::new(Registry::new());
            let done = Arc::new(AtomicBool::new(false));
            let other = {
                let (registry, done) = (Arc::clone(&registry), Arc::clone(&done));
                loom::thread::spawn(move || {
                    if let Claimed::Mine(claim) =
                        registry.claim(1, "A", || done.load(Ordering::Acquire))
                    {
                        // Fails: the claim is released without the value being set.
                        drop(claim);
                    }
                })
            };
            loop {
                match registry.claim(1, "A", || done.load(Ordering::Acquire)) {
                    Claimed::Mine(claim) => {
                        done.store(true, Ordering::Release);
                        drop(claim);
                        break;
                    }
                    Claimed::Done => break,
                    Claimed::Cycle(cycle) => panic!("no cycle here: {cycle}"),
                }
            }
            other.join().unwrap();
            assert!(done.load(Ordering::Acquire));
        });
    }

    /// Two threads each holding one singleton and wanting the other's: never a deadlock, and
    /// whoever sees the cycle names it.
    #[test]
    fn crossed_claims_report_a_cycle_instead_of_deadlocking() {
        loom::model(|| {
            let registry = Arc::new(Registry::new());
            let spawn = |first: usize, second: usize| {
                let registry = Arc::clone(&registry);
                loom::thread::spawn(move || {
                    let name = |key| if key == 1 { "A" } else { "B" };
                    let Claimed::Mine(outer) = registry.claim(first, name(first), || false) else {
                        return None;
                    };
                    let seen = match registry.claim(second, name(second), || false) {
                        Claimed::Mine(inner) => {
                            drop(inner);
                            None
                        }
                        Claimed::Done => None,
                        Claimed::Cycle(cycle) => Some(cycle),
                    };
                    drop(outer);
                    seen
                })
            };
            let a = spawn(1, 2);
            let b = spawn(2, 1);
            for cycle in [a.join().unwrap(), b.join().unwrap()].into_iter().flatten() {
                assert!(cycle == "A -> B -> A" || cycle == "B -> A -> B", "{cycle}");
            }
        });
    }
}
