//! A service bound in the runtime container: how long it lives, what it needs, how it is
//! made — from an `Inject` type, a value, or a user's provider. Below both the container,
//! which builds and resolves, and the graph check.

use core::any::{Any, TypeId};
use core::cell::RefCell;
use std::sync::Arc;

use super::{Container, Dependency, Inject, Lifetime, ResolveError, Resolver};

/// Makes a new `Arc<S>`: a binding's constructor, typed by its service.
pub(super) type Construct<S> = dyn Fn(&dyn Resolver) -> Result<Arc<S>, ResolveError> + Send + Sync;

#[derive(Clone)]
pub(super) struct Binding {
    pub(super) name: &'static str,
    /// The implementation's type (the service's own for an instance or a provider): whose
    /// `#[inject(param)]` fields the parameters fill.
    pub(super) implementation: core::any::TypeId,
    pub(super) implementation_name: &'static str,
    pub(super) lifetime: Lifetime,
    pub(super) dependencies: &'static [Dependency],
    /// The constructor: a `Box<Construct<S>>` for the service `S` the binding is kept
    /// under, erased so bindings of every service sit in one table.
    construct: Arc<dyn Any + Send + Sync>,
    /// The constructor for a container: a `ConstructIn<S>`, erased to `fn()`.
    construct_in: fn(),
    /// What `construct_in` of an injected binding of `S` to `T` calls on the new `Arc<T>`:
    /// its `fn(Arc<T>) -> Arc<S>`, erased to `fn()`. Unused by the other constructors.
    upcast: fn(),
    /// Calls `construct` and puts what it made into an `Option<Arc<S>>`.
    make_into: MakeInto,
    /// An empty `Option<Arc<Service>>`, boxed: where a service is made to be handed out.
    pub(super) empty: fn() -> Box<dyn Any + Send + Sync>,
    /// A new `Arc<Service>`, boxed: how a singleton (or a scope's instance) is kept.
    pub(super) make_kept: MakeKept,
    /// Clones a kept `Arc<Service>` into an `Option<Arc<Service>>`; `false` on a type
    /// mismatch.
    pub(super) lend: fn(&(dyn Any + Send + Sync), &mut dyn Any) -> bool,
    /// Moves a made `Option<Arc<Service>>` onto a `Vec<Arc<Service>>`; `false` on a type
    /// mismatch.
    pub(super) push: fn(&mut dyn Any, &mut dyn Any) -> bool,
}

/// Makes a new `Arc<S>` for a container: its dependencies found without `dyn Resolver`. A
/// plain function of the binding, so calling it is one indirect call.
pub(super) type ConstructIn<S> = fn(&Binding, &Container) -> Result<Arc<S>, ResolveError>;

/// Makes a binding's service to be kept, as a boxed `Arc<S>`.
type MakeKept = fn(&Binding, &dyn Resolver) -> Result<Box<dyn Any + Send + Sync>, ResolveError>;

/// Calls a binding's erased constructor and puts the service into `out`.
type MakeInto =
    fn(&(dyn Any + Send + Sync), &dyn Resolver, &mut dyn Any) -> Result<(), ResolveError>;

impl Binding {
    /// Builds a new `Arc<Service>` into `out`, an `Option<Arc<Service>>`.
    pub(super) fn make(
        &self,
        resolver: &dyn Resolver,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        (self.make_into)(&*self.construct, resolver, out)
    }

    /// The constructor, typed.
    ///
    /// # Safety
    ///
    /// `S` is the service this binding was made for: the binding was found under
    /// `TypeId::of::<S>()`.
    #[inline]
    pub(super) unsafe fn construct<S: ?Sized + 'static>(&self) -> &Construct<S> {
        // SAFETY: `binding::<S>` stores a `Box<Construct<S>>`, and the caller promises the
        // same `S`.
        unsafe { crate::type_map::downcast_unchecked::<Box<Construct<S>>>(&*self.construct) }
    }

    /// The constructor for a container, typed.
    ///
    /// # Safety
    ///
    /// As for [`construct`](Binding::construct).
    #[inline]
    pub(super) unsafe fn construct_in<S: ?Sized + 'static>(&self) -> ConstructIn<S> {
        // SAFETY: `binding::<S>` stores a `ConstructIn<S>` erased to `fn()`, and the caller
        // promises the same `S`: this is that function again, with its own type.
        unsafe { core::mem::transmute::<fn(), ConstructIn<S>>(self.construct_in) }
    }
}

/// Calls `construct`, a `Box<Construct<S>>`, and puts the service into `out`, an
/// `Option<Arc<S>>`.
fn make_into<S: ?Sized + Send + Sync + 'static>(
    construct: &(dyn Any + Send + Sync),
    resolver: &dyn Resolver,
    out: &mut dyn Any,
) -> Result<(), ResolveError> {
    let name = core::any::type_name::<S>();
    let construct = construct
        .downcast_ref::<Box<Construct<S>>>()
        .ok_or(ResolveError::Mismatch { service: name })?;
    if put_service(construct(resolver)?, out) {
        Ok(())
    } else {
        Err(ResolveError::Mismatch { service: name })
    }
}

/// An empty `Option<Arc<S>>`, boxed.
pub(super) fn empty_service<S: ?Sized + Send + Sync + 'static>() -> Box<dyn Any + Send + Sync> {
    Box::new(None::<Arc<S>>)
}

/// A new `Arc<S>` from `binding`, a binding of `S`, boxed to be kept.
fn make_kept<S: ?Sized + Send + Sync + 'static>(
    binding: &Binding,
    resolver: &dyn Resolver,
) -> Result<Box<dyn Any + Send + Sync>, ResolveError> {
    // SAFETY: called as the `make_kept` of a binding `binding::<S>` made, for the same `S`.
    let construct = unsafe { binding.construct::<S>() };
    Ok(Box::new(construct(resolver)?))
}

/// Clones the `Arc<S>` kept in `value` into `out`, an `Option<Arc<S>>`.
pub(super) fn lend_service<S: ?Sized + Send + Sync + 'static>(
    value: &(dyn Any + Send + Sync),
    out: &mut dyn Any,
) -> bool {
    match (
        value.downcast_ref::<Arc<S>>(),
        out.downcast_mut::<Option<Arc<S>>>(),
    ) {
        (Some(service), Some(out)) => {
            *out = Some(Arc::clone(service));
            true
        }
        _ => false,
    }
}

/// Puts `service` into `out`, an `Option<Arc<S>>`; `false` when `out` is another type.
pub(super) fn put_service<S: ?Sized + 'static>(service: Arc<S>, out: &mut dyn Any) -> bool {
    match out.downcast_mut::<Option<Arc<S>>>() {
        Some(out) => {
            *out = Some(service);
            true
        }
        None => false,
    }
}

/// Moves the `Arc<S>` in `made` (an `Option<Arc<S>>`) onto `out`, a `Vec<Arc<S>>`.
pub(super) fn push_service<S: ?Sized + 'static>(made: &mut dyn Any, out: &mut dyn Any) -> bool {
    match (
        made.downcast_mut::<Option<Arc<S>>>(),
        out.downcast_mut::<Vec<Arc<S>>>(),
    ) {
        (Some(made), Some(out)) => match made.take() {
            Some(service) => {
                out.push(service);
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// A binding of `S` whose service `make_service` makes, and `make_in` (given `upcast`)
/// when a container asks; `implementation` is the type whose `DEPENDENCIES` are
/// `dependencies` (and whose parameters are looked up), with its name.
fn binding<S>(
    lifetime: Lifetime,
    implementation: (TypeId, &'static str),
    dependencies: &'static [Dependency],
    make_service: impl Fn(&dyn Resolver) -> Result<Arc<S>, ResolveError> + Send + Sync + 'static,
    (make_in, upcast): (ConstructIn<S>, fn()),
) -> Binding
where
    S: ?Sized + Send + Sync + 'static,
{
    let construct: Box<Construct<S>> = Box::new(make_service);
    Binding {
        name: core::any::type_name::<S>(),
        implementation: implementation.0,
        implementation_name: implementation.1,
        lifetime,
        dependencies,
        construct: Arc::new(construct),
        // SAFETY (of the transmute): a function pointer erased to `fn()`, turned back to its
        // own type by `construct_in` only.
        construct_in: unsafe { core::mem::transmute::<ConstructIn<S>, fn()>(make_in) },
        upcast,
        make_into: make_into::<S>,
        empty: empty_service::<S>,
        make_kept: make_kept::<S>,
        lend: lend_service::<S>,
        push: push_service::<S>,
    }
}

/// Nothing to upcast with.
fn no_upcast() {}

/// A binding of `S` made by `make_service` whoever asks: a container is one more resolver.
fn binding_for_any<S>(
    lifetime: Lifetime,
    implementation: (TypeId, &'static str),
    make_service: impl Fn(&dyn Resolver) -> Result<Arc<S>, ResolveError> + Send + Sync + 'static,
) -> Binding
where
    S: ?Sized + Send + Sync + 'static,
{
    binding(
        lifetime,
        implementation,
        &[],
        make_service,
        (construct_through_resolver::<S>, no_upcast),
    )
}

/// A container asks for `S` as any resolver would.
fn construct_through_resolver<S: ?Sized + 'static>(
    binding: &Binding,
    container: &Container,
) -> Result<Arc<S>, ResolveError> {
    // SAFETY: called as the `construct_in` of a binding of `S`, which `binding_for_any`
    // made with the constructor of the same `S`.
    let construct = unsafe { binding.construct::<S>() };
    construct(container)
}

/// A new `T` from a container, as the `S` its binding's `upcast` makes of it.
fn inject_upcast<S: ?Sized + 'static, T: Inject>(
    binding: &Binding,
    container: &Container,
) -> Result<Arc<S>, ResolveError> {
    // SAFETY: called as the `construct_in` of a binding `injected::<S, T>` made, whose
    // `upcast` is an `fn(Arc<T>) -> Arc<S>` erased to `fn()`.
    let upcast = unsafe { core::mem::transmute::<fn(), fn(Arc<T>) -> Arc<S>>(binding.upcast) };
    Ok(upcast(Arc::new(T::inject_from(container)?)))
}

/// A new `T` from a container, as itself.
fn inject_itself<T: Inject>(_: &Binding, container: &Container) -> Result<Arc<T>, ResolveError> {
    Ok(Arc::new(T::inject_from(container)?))
}

/// `S` made from `T: Inject`, its dependencies known to the graph check.
pub(super) fn injected<S, T>(lifetime: Lifetime, upcast: fn(Arc<T>) -> Arc<S>) -> Binding
where
    S: ?Sized + Send + Sync + 'static,
    T: Inject,
{
    binding(
        lifetime,
        (TypeId::of::<T>(), core::any::type_name::<T>()),
        T::DEPENDENCIES,
        move |resolver| Ok(upcast(Arc::new(T::inject(resolver)?))),
        // SAFETY (of the transmute): erased for `inject_upcast`, which turns it back.
        (inject_upcast::<S, T>, unsafe {
            core::mem::transmute::<fn(Arc<T>) -> Arc<S>, fn()>(upcast)
        }),
    )
}

/// `T` made from itself: an upcast with nothing to do is not called.
pub(super) fn injected_itself<T: Inject>(lifetime: Lifetime) -> Binding {
    binding(
        lifetime,
        (TypeId::of::<T>(), core::any::type_name::<T>()),
        T::DEPENDENCIES,
        |resolver| Ok(Arc::new(T::inject(resolver)?)),
        (inject_itself::<T>, no_upcast),
    )
}

/// `S` as a value made elsewhere.
pub(super) fn instance<S: ?Sized + Send + Sync + 'static>(value: Arc<S>) -> Binding {
    binding_for_any(
        Lifetime::Singleton,
        (TypeId::of::<S>(), core::any::type_name::<S>()),
        move |_| Ok(Arc::clone(&value)),
    )
}

thread_local! {
    /// The providers this thread is running, innermost last: a provider that needs itself
    /// again is a cycle the graph check could not see.
    static PROVIDING: RefCell<Vec<(TypeId, &'static str)>> = const { RefCell::new(Vec::new()) };
}

/// Leaves the provider it was made for, also when the provider panics.
struct Providing;

impl Drop for Providing {
    fn drop(&mut self) {
        PROVIDING.with(|stack| stack.borrow_mut().pop());
    }
}

/// `S` made by a user's function that may fail.
pub(super) fn provided<S, E>(
    lifetime: Lifetime,
    provider: impl Fn(&dyn Resolver) -> Result<Arc<S>, E> + Send + Sync + 'static,
) -> Binding
where
    S: ?Sized + Send + Sync + 'static,
    E: Into<Box<dyn core::error::Error + Send + Sync>>,
{
    let name = core::any::type_name::<S>();
    let id = TypeId::of::<S>();
    binding_for_any(lifetime, (id, name), move |resolver| {
        let cycle = PROVIDING.with(|stack| {
            let mut stack = stack.borrow_mut();
            let cycle = stack
                .iter()
                .position(|(entered, _)| *entered == id)
                .map(|start| {
                    let mut path: Vec<&str> =
                        stack[start..].iter().map(|(_, name)| *name).collect();
                    path.push(name);
                    path.join(" -> ")
                });
            if cycle.is_none() {
                stack.push((id, name));
            }
            cycle
        });
        if let Some(path) = cycle {
            return Err(ResolveError::cycle_at(name, path));
        }
        let _providing = Providing;
        provider(resolver).map_err(|error| ResolveError::Failed {
            service: name,
            error: Arc::from(error.into()),
        })
    })
}
