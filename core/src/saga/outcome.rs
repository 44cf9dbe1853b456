//! How a saga run ended, and why a run could not be driven.

use core::fmt;

use super::definition::StepError;
use crate::store::StoreError;

/// How a run came to rest.
#[derive(Debug)]
pub enum SagaOutcome {
    /// Every step completed.
    Completed,
    /// `failed_step` failed, and every completed step before it was undone.
    Compensated {
        /// The step whose failure started the compensation.
        failed_step: &'static str,
        /// Its error.
        error: StepError,
    },
    /// The run cannot finish without a person: compensations that kept failing, or a step
    /// past the point of no return that kept failing. [`SagaRunner::stuck`] lists such runs,
    /// [`SagaRunner::retry`] tries again, [`SagaRunner::resolve`] closes one dealt with by
    /// hand.
    ///
    /// [`SagaRunner::stuck`]: super::SagaRunner::stuck
    /// [`SagaRunner::retry`]: super::SagaRunner::retry
    /// [`SagaRunner::resolve`]: super::SagaRunner::resolve
    Stuck {
        /// The step whose failure led here.
        failed_step: &'static str,
        /// What failed last, step by step: the compensations that could not complete, or
        /// the retriable step.
        errors: Vec<(&'static str, StepError)>,
    },
}

impl SagaOutcome {
    /// Whether every step completed.
    #[must_use]
    pub fn is_completed(&self) -> bool {
        matches!(self, SagaOutcome::Completed)
    }

    /// Whether the run was undone.
    #[must_use]
    pub fn is_compensated(&self) -> bool {
        matches!(self, SagaOutcome::Compensated { .. })
    }

    /// Whether the run needs a person.
    #[must_use]
    pub fn is_stuck(&self) -> bool {
        matches!(self, SagaOutcome::Stuck { .. })
    }
}

/// A run that could not be driven. Nothing is lost: what the log holds stays, and the run
/// can be resumed once the cause is gone.
#[derive(Debug)]
pub enum SagaError {
    /// The log could not be read or written.
    Store(StoreError),
    /// Another runner holds the run's lease, or another call on the same runner is running
    /// the run.
    Busy {
        /// The run.
        id: String,
    },
    /// No run has this id.
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// A run with this id has been started already.
    AlreadyStarted {
        /// The id.
        id: String,
    },
    /// A retry or a resolution of a run that is not stuck.
    NotStuck {
        /// The run.
        id: String,
    },
    /// The run's log cannot be read back: a damaged entry, a step this saga does not have.
    Corrupt {
        /// The run.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The input cannot be written to the log as JSON.
    Input {
        /// The run.
        id: String,
        /// The serialiser's message.
        reason: String,
    },
}

impl fmt::Display for SagaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SagaError::Store(error) => write!(f, "{error}"),
            SagaError::Busy { id } => {
                write!(
                    f,
                    "saga `{id}` is being run already, by another runner (its lease is held) or \
                     by another call on this one"
                )
            }
            SagaError::NotFound { id } => write!(f, "no saga `{id}` in the log"),
            SagaError::AlreadyStarted { id } => {
                write!(f, "saga `{id}` was started already; resume it instead")
            }
            SagaError::NotStuck { id } => write!(f, "saga `{id}` is not stuck"),
            SagaError::Corrupt { id, reason } => {
                write!(f, "the log of saga `{id}` cannot be read: {reason}")
            }
            SagaError::Input { id, reason } => {
                write!(f, "the input of saga `{id}` cannot be logged: {reason}")
            }
        }
    }
}

impl std::error::Error for SagaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SagaError::Store(error) => Some(error),
            _ => None,
        }
    }
}

impl From<StoreError> for SagaError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Corrupt { key, reason } => SagaError::Corrupt { id: key, reason },
            other @ StoreError::Unavailable(_) => SagaError::Store(other),
        }
    }
}

/// A run that came to rest as stuck, as its log tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StuckSaga {
    /// The run.
    pub id: String,
    /// The step whose failure led here.
    pub failed_step: String,
    /// What failed last, step by step.
    pub errors: Vec<(String, String)>,
}
