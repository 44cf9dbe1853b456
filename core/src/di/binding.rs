//! A service bound in the runtime container: how long it lives, what it needs, how it is
//! made. Below both the container, which builds and resolves, and the graph check.

use core::any::Any;
use core::fmt;
use std::sync::Arc;

use super::{Dependency, ResolveError, Resolver};

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

pub(super) type Make =
    Arc<dyn Fn(&dyn Resolver) -> Result<Box<dyn Any + Send + Sync>, ResolveError> + Send + Sync>;

pub(super) struct Binding {
    pub(super) name: &'static str,
    pub(super) lifetime: Lifetime,
    pub(super) dependencies: &'static [Dependency],
    /// Builds an `Arc<Service>`, boxed.
    pub(super) make: Make,
    /// Clones a stored `Arc<Service>` into a new box.
    pub(super) clone: fn(&(dyn Any + Send + Sync)) -> Box<dyn Any + Send>,
}

/// A new box holding a clone of the `Arc<S>` in `value` (or `()` if it holds something else,
/// which resolving then reports as a mismatch).
pub(super) fn clone_service<S: ?Sized + Send + Sync + 'static>(
    value: &(dyn Any + Send + Sync),
) -> Box<dyn Any + Send> {
    match value.downcast_ref::<Arc<S>>() {
        Some(service) => Box::new(Arc::clone(service)),
        None => Box::new(()),
    }
}
