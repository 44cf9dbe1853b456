use alloc::vec::Vec;
use core::fmt;

use super::Lifetime;

/// A service could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// Nothing in the container provides it.
    NotBound {
        /// The service's type.
        service: &'static str,
    },
    /// It lives per scope: resolve it from [`Container::scope`](super::Container::scope).
    NeedsScope {
        /// The service's type.
        service: &'static str,
    },
    /// What is bound for it has another type (a binding made by hand with the wrong type).
    Mismatch {
        /// The service's type.
        service: &'static str,
    },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::NotBound { service } => {
                write!(f, "nothing in the container provides `{service}`")
            }
            ResolveError::NeedsScope { service } => write!(
                f,
                "`{service}` lives per scope; resolve it from a scope (`container.scope()`)"
            ),
            ResolveError::Mismatch { service } => {
                write!(f, "the binding for `{service}` produced another type")
            }
        }
    }
}

impl core::error::Error for ResolveError {}

/// One problem with a container's graph, found by
/// [`ContainerBuilder::build`](super::ContainerBuilder::build).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// `needed_by` depends on `service`, which nothing provides.
    Missing {
        /// The missing service.
        service: &'static str,
        /// Who needs it.
        needed_by: &'static str,
    },
    /// Building the first service of `path` needs itself again at the end of it.
    Cycle {
        /// `App -> UserService -> App`.
        path: Vec<&'static str>,
    },
    /// A singleton holds a service meant to live shorter, which would then live as long as
    /// the singleton.
    Captive {
        /// The singleton.
        singleton: &'static str,
        /// The shorter-lived service it holds.
        dependency: &'static str,
        /// How long that service is meant to live.
        lifetime: Lifetime,
    },
    /// The service is bound twice.
    Duplicate {
        /// The service bound twice.
        service: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Missing { service, needed_by } => {
                write!(f, "`{needed_by}` needs `{service}`, which nothing provides")
            }
            BuildError::Cycle { path } => write!(f, "dependency cycle: {}", path.join(" -> ")),
            BuildError::Captive {
                singleton,
                dependency,
                lifetime,
            } => write!(
                f,
                "the singleton `{singleton}` holds `{dependency}`, which is {lifetime}: it would \
                 live as long as the singleton"
            ),
            BuildError::Duplicate { service } => write!(f, "`{service}` is bound more than once"),
        }
    }
}

/// Every problem [`ContainerBuilder::build`](super::ContainerBuilder::build) found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildErrors(pub Vec<BuildError>);

impl fmt::Display for BuildErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the container has {} problem(s):", self.0.len())?;
        for error in &self.0 {
            write!(f, "\n- {error}")?;
        }
        Ok(())
    }
}

impl core::error::Error for BuildErrors {}
