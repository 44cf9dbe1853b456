//! How long a service lives, in either container.

use core::fmt;

/// How long a bound service lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lifetime {
    /// One instance, created on first use, shared by everyone.
    Singleton,
    /// A new instance every time it is resolved.
    Transient,
    /// One instance per [`Scope`](super::Scope).
    Scoped,
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lifetime::Singleton => "a singleton",
            Lifetime::Transient => "transient",
            Lifetime::Scoped => "scoped",
        })
    }
}
