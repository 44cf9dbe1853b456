//! What can go wrong when running a commit protocol.

use core::fmt;

use patternkit_core::store::StoreError;

use crate::Decision;

/// A participant that could not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantError(pub String);

impl fmt::Display for ParticipantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParticipantError {}

/// Why a commit could not run or finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitError {
    /// The global id is not usable.
    BadGid(String),
    /// The id was used before, or a coordinator is running it now.
    Duplicate(String),
    /// A transaction needs 1 to 64 participants; this is how many were given.
    Participants(usize),
    /// The decision log failed; nothing was decided, or the decision stands in the log and
    /// recovery finishes it.
    Store(StoreError),
    /// Participants did not apply the decision (they are told again by recovery).
    Unfinished {
        /// The decision.
        decision: Decision,
        /// Who, and why.
        failed: Vec<(String, String)>,
    },
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitError::BadGid(id) => write!(
                f,
                "`{id}` is not a usable global id: 1 to 200 printable ASCII characters, no quotes"
            ),
            CommitError::Duplicate(id) => {
                write!(f, "the transaction `{id}` was run before, or is running")
            }
            CommitError::Participants(n) => write!(
                f,
                "a transaction needs 1 to 64 participants, {n} were given"
            ),
            CommitError::Store(error) => write!(f, "{error}"),
            CommitError::Unfinished { decision, failed } => {
                write!(f, "decided {decision:?}, but not applied by")?;
                for (name, why) in failed {
                    write!(f, " `{name}` ({why})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CommitError {}

impl From<StoreError> for CommitError {
    fn from(error: StoreError) -> Self {
        CommitError::Store(error)
    }
}
