//! Keeping a run's lease while it is driven: renewed before anything is logged and, while a
//! step runs or a retry waits, in the background, so that no other runner takes the run
//! from a runner that is still working on it; and a run whose lease lapsed regardless (the
//! process stalled, the journal was out of reach) is read back from its log before this
//! runner does anything more to it.

use core::future::Future;
use std::time::{Duration, Instant};

use super::SagaRunner;
use crate::saga::definition::Saga;
use crate::saga::log::Run;
use crate::saga::outcome::SagaError;
use crate::store::Journal;
use crate::time;

/// Whether what this runner remembers of a run is still what its log says.
pub(super) enum Kept {
    /// The lease is held and nobody else has written to the run.
    Held,
    /// The lease lapsed and another runner wrote to the run meanwhile: read it back.
    Moved,
}

impl<S: Saga, J: Journal> SagaRunner<S, J> {
    /// Renews the run's lease once a third of it has passed since it was last taken.
    ///
    /// # Errors
    ///
    /// [`SagaError::Busy`] when another runner holds it now, [`SagaError::Store`].
    pub(super) async fn keep_lease(&self, id: &str, run: &mut Run) -> Result<Kept, SagaError> {
        let now = Instant::now();
        let since = run.leased_at.map(|at| now.saturating_duration_since(at));
        if since.is_some_and(|since| since < self.lease / 3) {
            return Ok(Kept::Held);
        }
        self.take_lease(id).await?;
        run.leased_at = Some(now);
        // Held without a break: nobody else can have written. Otherwise the log tells.
        if since.is_some_and(|since| since < self.lease) {
            return Ok(Kept::Held);
        }
        let logged = self.journal.read(&self.stream, id).await?.len();
        Ok(if logged == run.logged {
            Kept::Held
        } else {
            Kept::Moved
        })
    }

    /// Runs `work` (a step's attempt, a wait before the next one) while renewing the run's
    /// lease every third of it. `None` when the run moved on elsewhere meanwhile; the work is
    /// then dropped, as it is when another runner holds the lease.
    ///
    /// # Errors
    ///
    /// [`SagaError::Busy`] when another runner took the lease. A journal out of reach does
    /// not stop the work: the lease is renewed again before its result is logged.
    pub(super) async fn while_leased<F: Future>(
        &self,
        id: &str,
        run: &mut Run,
        work: F,
    ) -> Result<Option<F::Output>, SagaError> {
        let mut work = core::pin::pin!(work);
        if self.lease.is_zero() {
            // A lease of zero reserves nothing: there is nothing to keep.
            return Ok(Some(work.await));
        }
        let period = (self.lease / 3).max(Duration::from_millis(1));
        // After a failed renewal, when to try again: a period later, not at once.
        let mut retry_at: Option<Instant> = None;
        loop {
            let next = retry_at.or_else(|| run.leased_at.map(|at| at + period));
            let due = next
                .map_or(Duration::ZERO, |next| {
                    next.saturating_duration_since(Instant::now())
                })
                .max(Duration::from_millis(1));
            if let Some(output) = time::timeout(Some(due), work.as_mut()).await {
                return Ok(Some(output));
            }
            match self.keep_lease(id, run).await {
                Ok(Kept::Held) => retry_at = None,
                Ok(Kept::Moved) => return Ok(None),
                Err(SagaError::Store(_)) => retry_at = Some(Instant::now() + period),
                Err(error) => return Err(error),
            }
        }
    }
}
