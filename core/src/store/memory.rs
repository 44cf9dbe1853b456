//! A journal in memory: for tests, and for work that need not survive the process.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{Journal, KeyState, StoreError, StoreFuture};

#[derive(Default)]
struct Key {
    entries: Vec<String>,
    state: Option<KeyState>,
    /// Order of first write, for listing oldest first.
    created: u64,
    lease: Option<(String, Instant)>,
}

/// A [`Journal`] in memory, shared by clones of an `Arc`.
///
/// # Example
///
/// ```
/// use patternkit::store::{Journal, KeyState, MemoryJournal};
/// use patternkit::cqrs::block_on;
///
/// let journal = MemoryJournal::new();
/// block_on(async {
///     journal.append("saga:Order", "42", "started").await?;
///     assert_eq!(journal.read("saga:Order", "42").await?, ["started"]);
///     assert_eq!(journal.keys("saga:Order", KeyState::Open).await?, ["42"]);
///     Ok::<(), patternkit::store::StoreError>(())
/// })?;
/// # Ok::<(), patternkit::store::StoreError>(())
/// ```
#[derive(Default)]
pub struct MemoryJournal {
    keys: Mutex<BTreeMap<(String, String), Key>>,
    created: Mutex<u64>,
}

impl MemoryJournal {
    /// An empty journal.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<(String, String), Key>) -> T) -> T {
        // Nothing panics while the map is locked, so a poisoned lock holds consistent data.
        f(&mut self.keys.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn next_created(&self) -> u64 {
        let mut created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
        *created += 1;
        *created
    }
}

fn ready<'a, T: Send + 'a>(value: Result<T, StoreError>) -> StoreFuture<'a, T> {
    Box::pin(core::future::ready(value))
}

impl Journal for MemoryJournal {
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()> {
        let created = self.next_created();
        self.with(|keys| {
            let slot = keys.entry((stream.to_owned(), key.to_owned())).or_default();
            if slot.state.is_none() {
                slot.state = Some(KeyState::Open);
                slot.created = created;
            }
            slot.entries.push(entry.to_owned());
        });
        ready(Ok(()))
    }

    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>> {
        let entries = self.with(|keys| {
            keys.get(&(stream.to_owned(), key.to_owned()))
                .map(|k| k.entries.clone())
                .unwrap_or_default()
        });
        ready(Ok(entries))
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()> {
        let created = self.next_created();
        self.with(|keys| {
            let slot = keys.entry((stream.to_owned(), key.to_owned())).or_default();
            if slot.state.is_none() {
                slot.created = created;
            }
            slot.state = Some(state);
        });
        ready(Ok(()))
    }

    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>> {
        let mut found: Vec<(u64, String)> = self.with(|keys| {
            keys.iter()
                .filter(|((s, _), k)| s == stream && k.state == Some(state))
                .map(|((_, key), k)| (k.created, key.clone()))
                .collect()
        });
        found.sort();
        ready(Ok(found.into_iter().map(|(_, key)| key).collect()))
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        let now = Instant::now();
        let held = self.with(|keys| {
            let slot = keys.entry((stream.to_owned(), key.to_owned())).or_default();
            match &slot.lease {
                Some((other, until)) if other != owner && *until > now => false,
                _ => {
                    slot.lease = Some((owner.to_owned(), now + ttl));
                    true
                }
            }
        });
        ready(Ok(held))
    }

    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        self.with(|keys| {
            if let Some(slot) = keys.get_mut(&(stream.to_owned(), key.to_owned())) {
                if slot.lease.as_ref().is_some_and(|(o, _)| o == owner) {
                    slot.lease = None;
                }
            }
        });
        ready(Ok(()))
    }
}
