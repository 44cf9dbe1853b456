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

    /// The shortest way to the service bound for `type_id`, when the resolver knows one: a
    /// singleton already made, or a transient's own constructor. The default, always
    /// correct, is to ask [`resolve_into`](Resolver::resolve_into).
    #[doc(hidden)]
    fn found(&self, type_id: TypeId) -> Found<'_> {
        let _ = type_id;
        Found::ASK
    }
}

/// What a [`Resolver`] found for a type, for `resolve` to take the shortest way there. Only
/// the resolvers of this crate make one that is not [`Found::ASK`]: what it holds is trusted
/// to be kept under the type it was asked for.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Found<'a>(pub(super) Shortcut<'a>);

impl Found<'_> {
    /// Nothing known: ask [`Resolver::resolve_into`].
    pub const ASK: Found<'static> = Found(Shortcut::Ask);
}

#[derive(Clone, Copy)]
pub(super) enum Shortcut<'a> {
    /// A singleton already made: the `Arc<T>` it is kept as.
    #[cfg(feature = "std")]
    Made(&'a (dyn Any + Send + Sync)),
    /// A transient: its binding, whose constructor makes a new one from the resolver asked.
    #[cfg(feature = "std")]
    Construct(&'a super::binding::Binding),
    /// A transient found in a container: its binding, whose constructor for a container
    /// makes a new one, finding the service's own dependencies without `dyn Resolver`.
    #[cfg(feature = "std")]
    ConstructIn(&'a super::binding::Binding, &'a super::Container),
    /// Ask [`Resolver::resolve_into`].
    Ask,
    #[cfg(not(feature = "std"))]
    #[allow(dead_code)]
    Never(core::marker::PhantomData<&'a ()>),
}

/// The singleton kept in `value`, the slot of a binding of `T`.
///
/// # Safety
///
/// `value` is the slot of the binding found under `TypeId::of::<T>()`.
#[cfg(feature = "std")]
#[inline]
unsafe fn kept<T: ?Sized + 'static>(value: &(dyn Any + Send + Sync)) -> Arc<T> {
    // SAFETY: a singleton of `T` is kept as an `Arc<T>` (see `binding::make_kept`), and the
    // caller found it under `TypeId::of::<T>()`.
    Arc::clone(unsafe { crate::type_map::downcast_unchecked::<Arc<T>>(value) })
}

/// The service `found` leads to, else the one `resolver` puts into a slot. Each shortcut
/// returns what it makes as it is, so the result is written once, where the caller wants it.
///
/// # Safety
///
/// `found` was found under `TypeId::of::<T>()`.
#[inline]
unsafe fn resolve_found<T: ?Sized + 'static>(
    found: Found<'_>,
    resolver: &dyn Resolver,
    name: &'static str,
) -> Result<Arc<T>, ResolveError> {
    match found.0 {
        #[cfg(feature = "std")]
        // SAFETY: found under `TypeId::of::<T>()`.
        Shortcut::Made(value) => return Ok(unsafe { kept::<T>(value) }),
        #[cfg(feature = "std")]
        // SAFETY: the binding was found under `TypeId::of::<T>()`, so it was made for `T`.
        Shortcut::Construct(binding) => return unsafe { binding.construct::<T>() }(resolver),
        #[cfg(feature = "std")]
        // SAFETY: as above.
        Shortcut::ConstructIn(binding, container) => {
            return unsafe { binding.construct_in::<T>() }(binding, container);
        }
        _ => {}
    }
    ask(resolver, name)
}

/// The service bound for `T`, put by `resolver` into a slot: the way with no shortcut.
#[inline(never)]
fn ask<T: ?Sized + 'static>(
    resolver: &dyn Resolver,
    name: &'static str,
) -> Result<Arc<T>, ResolveError> {
    let mut out: Option<Arc<T>> = None;
    resolver.resolve_into(TypeId::of::<T>(), name, &mut out)?;
    out.ok_or(ResolveError::Mismatch { service: name })
}

/// The shared dependency `T` of an [`Inject`] type, from a resolver whose type is known, so
/// that finding it is a direct lookup. Named by `#[derive(Inject)]`.
///
/// # Errors
///
/// [`ResolveError`] when nothing provides it or it could not be built.
#[inline]
pub fn resolve<T: ?Sized + 'static, R: Resolver>(
    resolver: &R,
    name: &'static str,
) -> Result<Arc<T>, ResolveError> {
    // SAFETY: found under `TypeId::of::<T>()`.
    unsafe { resolve_found::<T>(resolver.found(TypeId::of::<T>()), resolver, name) }
}

/// Every implementation added for `T`, from `resolver`. Named by `#[derive(Inject)]`.
///
/// # Errors
///
/// [`ResolveError`] when one could not be built.
#[inline]
pub fn resolve_all<T: ?Sized + 'static, R: Resolver>(
    resolver: &R,
    name: &'static str,
) -> Result<alloc::vec::Vec<Arc<T>>, ResolveError> {
    (resolver as &dyn Resolver).resolve_all::<T>(name)
}

/// The value given for the `#[inject(param)]` field `field` of `Owner`. Named by
/// `#[derive(Inject)]`.
///
/// # Errors
///
/// [`ResolveError::MissingParam`] when none was given.
#[inline]
pub fn param<Owner: 'static, T: Clone + 'static, R: Resolver>(
    resolver: &R,
    owner: &'static str,
    field: &'static str,
) -> Result<T, ResolveError> {
    (resolver as &dyn Resolver).param::<Owner, T>(owner, field)
}

/// A reference resolves as what it refers to: `Inject::inject` passes its `&dyn Resolver`
/// on to [`Inject::inject_from`] this way.
impl<R: Resolver + ?Sized> Resolver for &R {
    #[inline]
    fn resolve_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        (**self).resolve_into(type_id, name, out)
    }

    #[inline]
    fn resolve_all_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        (**self).resolve_all_into(type_id, name, out)
    }

    #[inline]
    fn parameter(&self, owner: TypeId, field: &'static str) -> Option<&(dyn Any + Send + Sync)> {
        (**self).parameter(owner, field)
    }

    #[inline]
    fn found(&self, type_id: TypeId) -> Found<'_> {
        (**self).found(type_id)
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
        // SAFETY: found under `TypeId::of::<T>()`.
        unsafe { resolve_found::<T>(self.found(TypeId::of::<T>()), self, name) }
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

    /// [`inject`](Inject::inject) from a resolver whose type is known: what
    /// `#[derive(Inject)]` writes, so that the runtime container finds each dependency with
    /// a direct lookup rather than through `dyn Resolver`. The default calls `inject`.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when a dependency cannot be resolved.
    #[doc(hidden)]
    #[inline]
    fn inject_from<R: Resolver>(resolver: &R) -> Result<Self, ResolveError> {
        Self::inject(resolver)
    }
}
