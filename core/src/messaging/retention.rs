//! How long an inbox keeps the ids it has seen, checked against how long the broker may
//! redeliver: an id forgotten sooner would let a late redelivery take effect twice.

use core::fmt;
use std::time::Duration;

/// An inbox setting that would let duplicates through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxConfigError(String);

impl fmt::Display for InboxConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InboxConfigError {}

/// An inbox's retention, at least its broker's redelivery horizon.
///
/// ```
/// use std::time::Duration;
/// use patternkit::messaging::Retention;
///
/// let day = Duration::from_secs(86_400);
/// assert!(Retention::new("billing", 7 * day, day).is_ok());
/// assert!(Retention::new("billing", day, 7 * day).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention(Duration);

impl Retention {
    /// Keeping ids for `keep` in the inbox of `consumer`, whose broker may redeliver a message
    /// up to `redelivery_horizon` after its first delivery (for JetStream: the stream's age
    /// limit).
    ///
    /// # Errors
    ///
    /// [`InboxConfigError`] when `keep` is shorter than `redelivery_horizon`.
    pub fn new(
        consumer: &str,
        keep: Duration,
        redelivery_horizon: Duration,
    ) -> Result<Self, InboxConfigError> {
        if keep < redelivery_horizon {
            return Err(InboxConfigError(format!(
                "the inbox of `{consumer}` keeps ids for {keep:?}, but messages may be \
                 redelivered for {redelivery_horizon:?}: a late redelivery would take effect \
                 twice; keep them at least as long"
            )));
        }
        Ok(Retention(keep))
    }

    /// How long ids are kept.
    #[must_use]
    pub fn keep(self) -> Duration {
        self.0
    }
}
