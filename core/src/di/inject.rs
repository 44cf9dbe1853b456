use alloc::sync::Arc;
use core::any::{Any, TypeId};

use super::ResolveError;

/// How a struct holds one of its dependencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    /// `Arc<T>` or `Arc<dyn Trait>`: a service the container provides.
    Shared,
    /// A plain `T` that is itself `Inject`: built afresh from its own dependencies.
    Owned,
}

/// One dependency of an [`Inject`] type, as data, so a container can check its graph before
/// building anything.
#[derive(Clone, Copy, Debug)]
pub struct Dependency {
    /// The type's name (`core::any::type_name`).
    pub name: fn() -> &'static str,
    /// The type's id.
    pub type_id: fn() -> TypeId,
    /// Shared or owned.
    pub kind: DependencyKind,
    /// For an owned dependency, its own dependencies; empty for a shared one.
    pub dependencies: &'static [Dependency],
}

/// Where an [`Inject`] type gets its shared dependencies: a [`Container`](super::Container)
/// or a [`Scope`](super::Scope).
pub trait Resolver: Send + Sync {
    /// Puts the service bound for `type_id` into `out`, which is an `Option<Arc<T>>` for that
    /// service's `T`: passing the slot rather than returning a box keeps resolution free of
    /// allocations beyond the service's own.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing provides it or it could not be built.
    fn resolve_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError>;
}

impl dyn Resolver + '_ {
    /// The service bound for `T`.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing provides it or it could not be built.
    #[inline]
    pub fn resolve<T: ?Sized + 'static>(&self, name: &'static str) -> Result<Arc<T>, ResolveError> {
        let mut out: Option<Arc<T>> = None;
        self.resolve_into(TypeId::of::<T>(), name, &mut out)?;
        out.ok_or(ResolveError::Mismatch { service: name })
    }
}

/// A type built from its dependencies. `#[derive(Inject)]` implements it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be injected",
    note = "a field the container does not provide needs `#[inject(default)]` (built with \
            `Default`) or `#[inject(with = path)]` (built by a function)",
    note = "for a service: derive `patternkit::di::Inject` on `{Self}`, or hold it as \
            `Arc<{Self}>` and bind it in the container"
)]
pub trait Inject: Sized + Send + Sync + 'static {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// What it needs, field by field.
    const DEPENDENCIES: &'static [Dependency];

    /// A new value, its dependencies taken from `resolver`.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when a dependency cannot be resolved.
    fn inject(resolver: &dyn Resolver) -> Result<Self, ResolveError>;
}
