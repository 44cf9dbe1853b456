//! One call at a time on each run of a runner. The journal's lease keeps a run to one runner,
//! but a runner renews its own lease: a second call on the same runner for a run it is
//! driving (a request retried while its first attempt still runs, two tasks resuming the same
//! id) would take the lease again and drive the run twice at once, running its steps twice.
//! A run's id is claimed here for the whole of a call that drives or closes it, and given
//! back when the call ends, however it ends: returned, failed, panicked or dropped half-way.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::saga::outcome::SagaError;

/// The runs a runner is driving now.
#[derive(Default)]
pub(super) struct Claims {
    ids: Mutex<HashSet<String>>,
}

/// A run claimed by one call; given back on drop.
pub(super) struct Claim<'a> {
    claims: &'a Claims,
    id: String,
}

impl Claims {
    /// Claims run `id`.
    ///
    /// # Errors
    ///
    /// [`SagaError::Busy`] when another call on this runner holds it.
    pub(super) fn claim(&self, id: &str) -> Result<Claim<'_>, SagaError> {
        let fresh = self
            .ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned());
        if fresh {
            Ok(Claim {
                claims: self,
                id: id.to_owned(),
            })
        } else {
            Err(SagaError::Busy { id: id.to_owned() })
        }
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.claims
            .ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_claimed_once_until_its_claim_is_dropped() {
        let claims = Claims::default();
        let first = claims.claim("x").unwrap();
        assert!(matches!(claims.claim("x"), Err(SagaError::Busy { .. })));
        let other = claims.claim("y").unwrap();
        drop(first);
        assert!(claims.claim("x").is_ok());
        drop(other);
    }
}
