//! Who is initialising which singleton right now, so that an initialiser which needs its own
//! singleton (on this thread, or through threads waiting on each other) is reported as a
//! cycle instead of blocking forever.
//!
//! Only the first access of each singleton comes here; the table is empty in steady state.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

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

static TABLE: Mutex<Table> = Mutex::new(Table {
    in_progress: Vec::new(),
    waiting: Vec::new(),
});
static RELEASED: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, Table> {
    // Nothing panics while the table is locked, and its entries stay consistent even if
    // something did, so a poisoned lock is used as it is.
    TABLE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The right to run one singleton's initialiser; dropping it (also while unwinding from a
/// panicking initialiser) lets the next thread try.
pub(super) struct Claim {
    key: usize,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut table = lock();
        if let Some(index) = table.in_progress.iter().position(|e| e.key == self.key) {
            table.in_progress.remove(index);
        }
        drop(table);
        RELEASED.notify_all();
    }
}

/// Waits until either the singleton `key` is initialised (`None`) or this thread may
/// initialise it (`Some`).
///
/// # Panics
///
/// When waiting would never end because the singleton's initialiser is, directly or through
/// other singletons and threads, waiting for this thread.
pub(super) fn claim(key: usize, name: &'static str, is_done: impl Fn() -> bool) -> Option<Claim> {
    let me = thread::current().id();
    let mut table = lock();
    loop {
        if is_done() {
            return None;
        }
        if table.owner(key).is_none() {
            table.in_progress.push(InProgress {
                key,
                name,
                owner: me,
            });
            return Some(Claim { key });
        }
        if let Some(cycle) = table.cycle(me, key) {
            drop(table);
            panic!(
                "singleton initialisation cycle: {cycle}; an initialiser needs, directly or \
                 through other singletons, the singleton it is creating: create one of them \
                 without the other"
            );
        }
        table.waiting.push(Waiting { thread: me, key });
        table = RELEASED.wait(table).unwrap_or_else(PoisonError::into_inner);
        table.waiting.retain(|w| w.thread != me);
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
