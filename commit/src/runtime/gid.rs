//! The global id every participant knows a transaction by.

use core::fmt;

use super::CommitError;

/// A transaction's global id, as every participant knows it: at most 200 bytes (PostgreSQL's
/// limit for `PREPARE TRANSACTION`), printable ASCII without quotes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gid(String);

impl Gid {
    /// The longest id, in bytes.
    pub const MAX: usize = 200;

    /// `id` as a global id.
    ///
    /// # Errors
    ///
    /// [`CommitError::BadGid`] when it is empty, longer than [`Gid::MAX`] bytes, or holds a
    /// quote, a backslash or a character outside printable ASCII.
    pub fn new(id: &str) -> Result<Self, CommitError> {
        let ok = !id.is_empty()
            && id.len() <= Self::MAX
            && id
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'\'' && b != b'"' && b != b'\\');
        if ok {
            Ok(Gid(id.to_owned()))
        } else {
            let shown: String = id.chars().take(40).collect();
            Err(CommitError::BadGid(shown))
        }
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
