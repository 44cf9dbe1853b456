//! A service bound in the runtime container: how long it lives, what it needs, how it is
//! made — from an `Inject` type, a value, or a user's provider. Below both the container,
//! which builds and resolves, and the graph check.

use core::any::{Any, TypeId};
use core::cell::RefCell;
use std::sync::Arc;

use super::{Dependency, Inject, Lifetime, ResolveError, Resolver};

/// Builds a new `Arc<Service>` into `out`, an `Option<Arc<Service>>`.
pub(super) type Make =
    Arc<dyn Fn(&dyn Resolver, &mut dyn Any) -> Result<(), ResolveError> + Send + Sync>;

#[derive(Clone)]
pub(super) struct Binding {
    pub(super) name: &'static str,
    /// The implementation's type (the service's own for an instance or a provider): whose
    /// `#[inject(param)]` fields the parameters fill.
    pub(super) implementation: core::any::TypeId,
    pub(super) implementation_name: &'static str,
    pub(super) lifetime: Lifetime,
    pub(super) dependencies: &'static [Dependency],
    /// Builds an `Arc<Service>` into an `Option<Arc<Service>>`.
    pub(super) make: Make,
    /// An empty `Option<Arc<Service>>`, boxed: where a singleton is made and kept.
    pub(super) empty: fn() -> Box<dyn Any + Send + Sync>,
    /// Clones a kept `Option<Arc<Service>>` into another; `false` on a type mismatch.
    pub(super) lend: fn(&(dyn Any + Send + Sync), &mut dyn Any) -> bool,
    /// Moves a made `Option<Arc<Service>>` onto a `Vec<Arc<Service>>`; `false` on a type
    /// mismatch.
    pub(super) push: fn(&mut dyn Any, &mut dyn Any) -> bool,
}

/// An empty `Option<Arc<S>>`, boxed.
pub(super) fn empty_service<S: ?Sized + Send + Sync + 'static>() -> Box<dyn Any + Send + Sync> {
    Box::new(None::<Arc<S>>)
}

/// Clones the `Arc<S>` kept in `value` (an `Option<Arc<S>>`) into `out`.
pub(super) fn lend_service<S: ?Sized + Send + Sync + 'static>(
    value: &(dyn Any + Send + Sync),
    out: &mut dyn Any,
) -> bool {
    match (
        value.downcast_ref::<Option<Arc<S>>>(),
        out.downcast_mut::<Option<Arc<S>>>(),
    ) {
        (Some(Some(service)), Some(out)) => {
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

/// A binding of `S` whose service `make_service` makes; `implementation` is the type whose
/// `DEPENDENCIES` are `dependencies` (and whose parameters are looked up), with its name.
fn binding<S>(
    lifetime: Lifetime,
    implementation: (TypeId, &'static str),
    dependencies: &'static [Dependency],
    make_service: impl Fn(&dyn Resolver) -> Result<Arc<S>, ResolveError> + Send + Sync + 'static,
) -> Binding
where
    S: ?Sized + Send + Sync + 'static,
{
    let name = core::any::type_name::<S>();
    let make: Make = Arc::new(move |resolver: &dyn Resolver, out: &mut dyn Any| {
        if put_service(make_service(resolver)?, out) {
            Ok(())
        } else {
            Err(ResolveError::Mismatch { service: name })
        }
    });
    Binding {
        name,
        implementation: implementation.0,
        implementation_name: implementation.1,
        lifetime,
        dependencies,
        make,
        empty: empty_service::<S>,
        lend: lend_service::<S>,
        push: push_service::<S>,
    }
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
    )
}

/// `S` as a value made elsewhere.
pub(super) fn instance<S: ?Sized + Send + Sync + 'static>(value: Arc<S>) -> Binding {
    binding(
        Lifetime::Singleton,
        (TypeId::of::<S>(), core::any::type_name::<S>()),
        &[],
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
    binding(lifetime, (id, name), &[], move |resolver| {
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
