//! How often and how patiently a step is tried.

use std::time::Duration;

/// Retries with exponential backoff and jitter, an attempt cap, and a timeout per attempt.
///
/// The defaults follow Temporal's (1 s, doubling, at most 100 s apart) but with a finite cap:
/// a compensatable step or a compensation is tried 5 times, a retriable step 20 times,
/// before the saga compensates or comes to rest as stuck.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use patternkit::saga::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .attempts(3)
///     .backoff(Duration::from_millis(50), Duration::from_secs(2))
///     .timeout(Some(Duration::from_secs(10)));
/// assert_eq!(policy.delay(1, 0.5), Duration::from_millis(50));
/// assert_eq!(policy.delay(3, 0.5), Duration::from_millis(200));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    pub(crate) attempts: u32,
    pub(crate) retriable_attempts: u32,
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
    pub(crate) multiplier: f64,
    pub(crate) jitter: f64,
    pub(crate) timeout: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            retriable_attempts: 20,
            initial: Duration::from_secs(1),
            max: Duration::from_secs(100),
            multiplier: 2.0,
            jitter: 0.2,
            timeout: Some(Duration::from_secs(30)),
        }
    }
}

impl RetryPolicy {
    /// Tries every attempt at once, with no timeout: for tests.
    #[must_use]
    pub fn immediate() -> Self {
        RetryPolicy {
            initial: Duration::ZERO,
            max: Duration::ZERO,
            jitter: 0.0,
            timeout: None,
            ..RetryPolicy::default()
        }
    }

    /// How many times a compensatable or pivot step, or a compensation, is tried (at least
    /// once).
    #[must_use]
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// How many times a retriable step is tried before the saga comes to rest as stuck.
    #[must_use]
    pub fn retriable_attempts(mut self, attempts: u32) -> Self {
        self.retriable_attempts = attempts.max(1);
        self
    }

    /// The wait before the second attempt, doubling each time up to `max`.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial = initial;
        self.max = max.max(initial);
        self
    }

    /// The fraction (0 to 1) by which each wait is randomly shortened or lengthened, so
    /// that many failing runs do not retry in step.
    #[must_use]
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = fraction.clamp(0.0, 1.0);
        self
    }

    /// How long one attempt may take (`None`: as long as it takes).
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The wait after failed attempt `attempt` (from 1), for a random `unit` in `0..=1`.
    #[must_use]
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let base = self.initial.as_secs_f64() * self.multiplier.powi(exponent);
        let base = base.min(self.max.as_secs_f64());
        let spread = 1.0 + self.jitter * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
        Duration::try_from_secs_f64((base * spread).max(0.0)).unwrap_or(self.max)
    }
}
