//! Dependency injection: `#[derive(Inject)]` builds a struct from its dependencies, and a
//! [`Container`] holds the bindings that provide them, checked as a whole graph when it is
//! built — missing bindings, cycles (with their path), and singletons that would capture a
//! shorter-lived service — so that resolving later cannot fail for those reasons.

mod binding;
pub(crate) mod compiled;
mod container;
mod error;
mod graph;
mod inject;

pub use binding::Lifetime;
pub use compiled::{Assemble, Each, Once, Provides};
pub use container::{Container, ContainerBuilder, Scope};
pub use error::{BuildError, BuildErrors, ResolveError};
pub use inject::{Dependency, DependencyKind, Inject, Resolver};
