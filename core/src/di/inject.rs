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
    /// `Vec<Arc<T>>`: every implementation of `T` the container was given with
    /// [`add`](super::ContainerBuilder::add) (none is fine).
    All,
    /// A `#[inject(param)]` field: a value given to the container when it is built.
    Param,
}

/// One dependency of an [`Inject`] type, as data, so a container can check its graph before
/// building anything.
#[derive(Clone, Copy, Debug)]
pub struct Dependency {
    /// The type's name (`core::any::type_name`); for a parameter, the field's name.
    pub name: fn() -> &'static str,
    /// The type's id; for a parameter, the field type's.
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

    /// Puts every implementation added for `type_id` into `out`, a `Vec<Arc<T>>`, in the
    /// order they were added. None is not an error.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when one could not be built.
    fn resolve_all_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        let _ = (type_id, name, out);
        Ok(())
    }

    /// The value given for the `#[inject(param)]` field `field` of the type `owner`.
    fn parameter(&self, owner: TypeId, field: &'static str) -> Option<&(dyn Any + Send + Sync)> {
        let _ = (owner, field);
        None
    }

    /// The singleton bound for `type_id` if it is made already, as the `Option<Arc<T>>` it is
    /// kept in: a shortcut `resolve` takes before
    /// [`resolve_into`](Resolver::resolve_into). `None` is always correct.
    fn made(&self, type_id: TypeId) -> Option<&(dyn Any + Send + Sync)> {
        let _ = type_id;
        None
    }
}

impl dyn Resolver + '_ {
    /// The service bound for `T`.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing provides it or it could not be built.
    #[inline]
    pub fn resolve<T: ?Sized + 'static>(&self, name: &'static str) -> Result<Arc<T>, ResolveError> {
        if let Some(Some(service)) = self
            .made(TypeId::of::<T>())
            .and_then(|value| value.downcast_ref::<Option<Arc<T>>>())
        {
            return Ok(Arc::clone(service));
        }
        let mut out: Option<Arc<T>> = None;
        self.resolve_into(TypeId::of::<T>(), name, &mut out)?;
        out.ok_or(ResolveError::Mismatch { service: name })
    }

    /// Every implementation added for `T`, in the order they were added.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when one could not be built.
    #[inline]
    pub fn resolve_all<T: ?Sized + 'static>(
        &self,
        name: &'static str,
    ) -> Result<alloc::vec::Vec<Arc<T>>, ResolveError> {
        let mut out: alloc::vec::Vec<Arc<T>> = alloc::vec::Vec::new();
        self.resolve_all_into(TypeId::of::<T>(), name, &mut out)?;
        Ok(out)
    }

    /// The value given for the `#[inject(param)]` field `field` of `Owner`.
    ///
    /// # Errors
    ///
    /// [`ResolveError::MissingParam`] when none was given (or one of another type).
    pub fn param<Owner: 'static, T: Clone + 'static>(
        &self,
        owner: &'static str,
        field: &'static str,
    ) -> Result<T, ResolveError> {
        self.parameter(TypeId::of::<Owner>(), field)
            .and_then(|value| value.downcast_ref::<T>())
            .cloned()
            .ok_or(ResolveError::MissingParam { owner, field })
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
