//! Dependency injection: `#[derive(Inject)]` builds a struct from its dependencies, and a
//! [`Container`] holds the bindings that provide them, checked as a whole graph when it is
//! built — missing bindings, cycles (with their path), and singletons that would capture a
//! shorter-lived service — so that resolving later cannot fail for those reasons.

#[cfg(feature = "std")]
mod binding;
#[cfg(feature = "std")]
mod builder;
pub(crate) mod compiled;
#[cfg(feature = "std")]
mod container;
mod error;
#[cfg(feature = "std")]
mod graph;
pub(crate) mod inject;
mod lifetime;

#[cfg(feature = "std")]
pub use builder::ContainerBuilder;
pub use compiled::{Assemble, Each, Once, Provides};
#[cfg(feature = "std")]
pub use container::{Container, Scope};
pub use error::{BuildError, BuildErrors, CycleError, ProviderError, ResolveError};
pub use inject::{Dependency, DependencyKind, Inject, Resolver};
pub use lifetime::Lifetime;
