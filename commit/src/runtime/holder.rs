//! Who holds a transaction while it runs: the coordinator's node and its lease, which keep
//! other nodes' recovery off it, and the set of transactions this process is running, which
//! keeps recovery in this process off them.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use patternkit_core::store::Journal;

use super::{CommitError, Gid};

/// Who runs a coordinator's transactions, and how long its lease keeps other nodes'
/// recovery off each.
#[derive(Default)]
pub(super) struct Holder {
    pub(super) node: Option<String>,
    pub(super) lease: Duration,
}

impl Holder {
    /// The node's name: given, or unique to the process.
    pub(super) fn node(&self) -> &str {
        self.node.as_deref().unwrap_or_else(|| process_node())
    }
}

/// This process's node name, unless one is given: unique to the process.
fn process_node() -> &'static str {
    static NODE: OnceLock<String> = OnceLock::new();
    NODE.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("{}-{nanos:x}", std::process::id())
    })
}

/// The transactions being run in this process, by node, stream and id: recovery here
/// leaves them to their coordinator (a lease cannot tell them apart, being the node's).
fn running() -> std::sync::MutexGuard<'static, HashSet<String>> {
    static RUNNING: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    RUNNING
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

fn running_key(node: &str, stream: &str, gid: &Gid) -> String {
    format!("{node}\u{0}{stream}\u{0}{gid}")
}

/// A transaction marked as running in this process while it lives. `None` when it already
/// is: the same id run twice at once.
pub(super) struct Running(String);

impl Running {
    pub(super) fn enter(node: &str, stream: &str, gid: &Gid) -> Option<Self> {
        let key = running_key(node, stream, gid);
        running().insert(key.clone()).then_some(Running(key))
    }

    pub(super) fn contains(node: &str, stream: &str, gid: &Gid) -> bool {
        running().contains(&running_key(node, stream, gid))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        running().remove(&self.0);
    }
}

/// Recovery's hold on one transaction: `false` when its coordinator is running it, in this
/// process or, its lease held, on another node. Recovery takes the lease itself (for as long
/// as its own coordinator's, which may be none) only to see whether someone else holds it.
pub(super) async fn hold_for_recovery<J: Journal>(
    journal: &J,
    stream: &str,
    gid: &Gid,
    holder: &Holder,
) -> Result<bool, CommitError> {
    if Running::contains(holder.node(), stream, gid) {
        return Ok(false);
    }
    Ok(journal
        .lease(stream, gid.as_str(), holder.node(), holder.lease)
        .await?)
}

/// Gives a transaction's lease back once nobody needs it held.
pub(super) async fn let_go<J: Journal>(
    journal: &J,
    stream: &str,
    gid: &Gid,
    holder: &Holder,
) -> Result<(), CommitError> {
    if !holder.lease.is_zero() {
        journal.release(stream, gid.as_str(), holder.node()).await?;
    }
    Ok(())
}
