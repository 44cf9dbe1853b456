use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use super::Lifetime;

/// A provider's error, shared so the [`ResolveError`] that carries it can be cloned.
pub type ProviderError = Arc<dyn core::error::Error + Send + Sync + 'static>;

/// A service could not be resolved.
#[derive(Clone, Debug)]
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
    /// Its provider (given to [`ContainerBuilder::provide`](super::ContainerBuilder::provide))
    /// failed, or making it needs itself again through providers, which the build-time check
    /// cannot see into: then `error` is a [`CycleError`] (see [`ResolveError::cycle`]).
    Failed {
        /// The service's type.
        service: &'static str,
        /// The provider's error.
        error: ProviderError,
    },
    /// A `#[inject(param)]` field's value was not given to the container.
    MissingParam {
        /// The type the field belongs to.
        owner: &'static str,
        /// The field.
        field: &'static str,
    },
}

impl PartialEq for ResolveError {
    /// Errors are equal when they are of the same kind about the same service; providers'
    /// errors compare by their message.
    fn eq(&self, other: &Self) -> bool {
        use ResolveError::{Failed, Mismatch, MissingParam, NeedsScope, NotBound};
        match (self, other) {
            (NotBound { service: a }, NotBound { service: b })
            | (NeedsScope { service: a }, NeedsScope { service: b })
            | (Mismatch { service: a }, Mismatch { service: b }) => a == b,
            (
                Failed {
                    service: a,
                    error: x,
                },
                Failed {
                    service: b,
                    error: y,
                },
            ) => a == b && x.to_string() == y.to_string(),
            (MissingParam { owner: a, field: x }, MissingParam { owner: b, field: y }) => {
                a == b && x == y
            }
            _ => false,
        }
    }
}

impl Eq for ResolveError {}

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
            ResolveError::Failed { service, error } => {
                write!(f, "the provider of `{service}` failed: {error}")
            }
            ResolveError::MissingParam { owner, field } => write!(
                f,
                "`{owner}` needs the parameter `{field}`: give it to the container with \
                 `.param::<{owner}>(\"{field}\", value)`"
            ),
        }
    }
}

impl ResolveError {
    /// The chain of a cycle found while resolving (`A -> B -> A`), if that is what this is —
    /// also when providers passed it on as their own error.
    #[must_use]
    pub fn cycle(&self) -> Option<&str> {
        match self {
            ResolveError::Failed { error, .. } => match error.downcast_ref::<CycleError>() {
                Some(cycle) => Some(cycle.path()),
                None => error.downcast_ref::<ResolveError>()?.cycle(),
            },
            _ => None,
        }
    }

    #[cfg(feature = "std")]
    pub(super) fn cycle_at(service: &'static str, path: String) -> Self {
        ResolveError::Failed {
            service,
            error: Arc::new(CycleError { path }),
        }
    }
}

/// Making a service needed that service again, through providers: the chain, as
/// `A -> B -> A`. The error of a [`ResolveError::Failed`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleError {
    path: String,
}

impl CycleError {
    /// The chain.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for CycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dependency cycle: {}; one of these providers must stop resolving the next",
            self.path
        )
    }
}

impl core::error::Error for CycleError {}

impl core::error::Error for ResolveError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ResolveError::Failed { error, .. } => Some(&**error),
            _ => None,
        }
    }
}

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
    /// [`ContainerBuilder::replace`](super::ContainerBuilder::replace) named a service that
    /// nothing bound before it.
    NothingToReplace {
        /// The service.
        service: &'static str,
    },
    /// A `#[inject(param)]` field's value was not given, or given with another type.
    Param {
        /// The type the field belongs to.
        owner: &'static str,
        /// The field.
        field: &'static str,
        /// Whether a value of another type was given.
        given_other_type: bool,
    },
    /// A parameter was given for a field that is not a `#[inject(param)]` of a bound type.
    UnusedParam {
        /// The type named.
        owner: &'static str,
        /// The field named.
        field: &'static str,
    },
    /// An eager singleton could not be made.
    Eager {
        /// The singleton.
        service: &'static str,
        /// Why.
        error: ResolveError,
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
            BuildError::Duplicate { service } => write!(
                f,
                "`{service}` is bound more than once; to swap a binding (a test's stand-in), use \
                 `replace`, and to bind several implementations, `add` them"
            ),
            BuildError::NothingToReplace { service } => write!(
                f,
                "`{service}` is replaced, but nothing bound it before: bind it with `bind`"
            ),
            BuildError::Param {
                owner,
                field,
                given_other_type: false,
            } => write!(
                f,
                "`{owner}` needs the parameter `{field}`: give it with \
                 `.param::<{owner}>(\"{field}\", value)`"
            ),
            BuildError::Param {
                owner,
                field,
                given_other_type: true,
            } => write!(
                f,
                "the parameter `{field}` of `{owner}` was given a value of another type than the \
                 field's"
            ),
            BuildError::UnusedParam { owner, field } => write!(
                f,
                "a parameter `{field}` was given for `{owner}`, which has no `#[inject(param)]` \
                 field of that name among the types bound"
            ),
            BuildError::Eager { service, error } => {
                write!(
                    f,
                    "the eager singleton `{service}` could not be made: {error}"
                )
            }
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
