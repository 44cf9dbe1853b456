//! A service bound in the runtime container: how long it lives, what it needs, how it is
//! made. Below both the container, which builds and resolves, and the graph check.

use core::any::Any;
use std::sync::Arc;

use super::{Dependency, Lifetime, ResolveError, Resolver};

/// Builds a new `Arc<Service>` into `out`, an `Option<Arc<Service>>`.
pub(super) type Make =
    Arc<dyn Fn(&dyn Resolver, &mut dyn Any) -> Result<(), ResolveError> + Send + Sync>;

pub(super) struct Binding {
    pub(super) name: &'static str,
    pub(super) lifetime: Lifetime,
    pub(super) dependencies: &'static [Dependency],
    /// Builds an `Arc<Service>` into an `Option<Arc<Service>>`.
    pub(super) make: Make,
    /// An empty `Option<Arc<Service>>`, boxed: where a singleton is made and kept.
    pub(super) empty: fn() -> Box<dyn Any + Send + Sync>,
    /// Clones a kept `Option<Arc<Service>>` into another; `false` on a type mismatch.
    pub(super) lend: fn(&(dyn Any + Send + Sync), &mut dyn Any) -> bool,
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
