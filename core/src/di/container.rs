use core::any::{Any, TypeId};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::binding::Binding;
use super::inject::{Found, Shortcut};
use super::{BuildError, ContainerBuilder, Lifetime, ResolveError, Resolver};
use crate::init_lock::{self, Claimed};
use crate::type_map::{FrozenTypeMap, TypeMap};

/// A value given for a `#[inject(param)]` field.
#[derive(Clone)]
pub(super) struct Param {
    pub(super) owner: TypeId,
    pub(super) owner_name: &'static str,
    pub(super) field: &'static str,
    pub(super) value: Arc<dyn Any + Send + Sync>,
}

pub(super) type Params = Vec<Param>;

/// Where a singleton (or one scope's instance of a scoped service) is kept, created by one
/// thread while the others wait for it — unless waiting would never end, because making it
/// needs it again (through providers the graph check cannot see), which is reported as a
/// cycle.
#[derive(Default)]
struct SingletonSlot {
    /// The instance, an `Arc<S>` for the binding's service `S`.
    value: OnceLock<Box<dyn Any + Send + Sync>>,
}

impl SingletonSlot {
    /// Puts the instance into `out`, made by `binding` the first time; racing threads wait
    /// for that one.
    #[inline]
    fn lend(
        &self,
        binding: &Binding,
        resolver: &dyn Resolver,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        let value: &(dyn Any + Send + Sync) = match self.value.get() {
            Some(value) => &**value,
            None => self.make(binding, resolver)?,
        };
        if (binding.lend)(value, out) {
            Ok(())
        } else {
            Err(ResolveError::Mismatch {
                service: binding.name,
            })
        }
    }

    #[cold]
    fn make(
        &self,
        binding: &Binding,
        resolver: &dyn Resolver,
    ) -> Result<&(dyn Any + Send + Sync), ResolveError> {
        // One thread makes it; the others wait, unless they hold what it waits for.
        let key = core::ptr::from_ref(self) as usize;
        let claim =
            match init_lock::global().claim(key, binding.name, || self.value.get().is_some()) {
                Claimed::Done => None,
                Claimed::Mine(claim) => Some(claim),
                Claimed::Cycle(path) => return Err(ResolveError::cycle_at(binding.name, path)),
            };
        if let Some(value) = self.value.get() {
            return Ok(&**value);
        }
        let made = (binding.make_kept)(binding, resolver)?;
        let value = &**self.value.get_or_init(|| made);
        drop(claim);
        Ok(value)
    }
}

/// A binding, with the slot its instance lives in when it is a singleton: one lookup finds
/// both.
pub(super) struct Bound {
    binding: Binding,
    singleton: SingletonSlot,
}

impl Bound {
    pub(super) fn new(binding: Binding) -> Self {
        Bound {
            binding,
            singleton: SingletonSlot::default(),
        }
    }

    /// The shortcut to this binding's service: a singleton already made, or a transient.
    /// A transient found in `container` is made by the constructor for containers; in a
    /// scope (`None`), by the one that resolves through the scope.
    #[inline]
    fn found<'a>(&'a self, container: Option<&'a Container>) -> Found<'a> {
        // Only a singleton's slot is ever filled (a scope keeps its own): a made singleton
        // is found without asking its lifetime.
        if let Some(value) = self.singleton.value.get() {
            return Found(Shortcut::Made(&**value));
        }
        match (self.binding.lifetime, container) {
            (Lifetime::Transient, Some(container)) => {
                Found(Shortcut::ConstructIn(&self.binding, container))
            }
            (Lifetime::Transient, None) => Found(Shortcut::Construct(&self.binding)),
            (Lifetime::Singleton | Lifetime::Scoped, _) => Found::ASK,
        }
    }

    /// Puts this binding's service into `out`, an `Option<Arc<S>>`: `resolver` makes what it
    /// needs, `scope` keeps a scoped service (none: resolved outside a scope).
    fn lend(
        &self,
        container: &Container,
        resolver: &dyn Resolver,
        scope: Option<&Scope<'_>>,
        key: TypeId,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        let binding = &self.binding;
        match (binding.lifetime, scope) {
            (Lifetime::Singleton, _) => self.singleton.lend(binding, container, out),
            // A transient is made straight into `out`.
            (Lifetime::Transient, _) => binding.make(resolver, out),
            (Lifetime::Scoped, None) => Err(ResolveError::NeedsScope {
                service: binding.name,
            }),
            (Lifetime::Scoped, Some(scope)) => {
                let slot = slot_in(&scope.instances, key);
                slot.lend(binding, scope, out)
            }
        }
    }
}

/// Services resolved from validated bindings. `Send + Sync`: share it between threads.
pub struct Container {
    bindings: FrozenTypeMap<Bound>,
    many: FrozenTypeMap<Vec<Bound>>,
    params: Params,
}

impl Container {
    pub(super) fn new(
        bindings: FrozenTypeMap<Bound>,
        many: FrozenTypeMap<Vec<Bound>>,
        params: Params,
    ) -> Self {
        Container {
            bindings,
            many,
            params,
        }
    }

    /// Makes each of `singletons` (their keys, in order) and the singleton implementations
    /// added for each of `many`, collecting what fails.
    pub(super) fn make_eager(
        &self,
        singletons: &[(&'static str, TypeId)],
        many: &[TypeId],
        errors: &mut Vec<BuildError>,
    ) {
        for &(service, key) in singletons {
            if let Some(bound) = self.bindings.get(&key) {
                let mut slot = (bound.binding.empty)();
                if let Err(error) = bound.lend(self, self, None, key, &mut *slot) {
                    errors.push(BuildError::Eager { service, error });
                }
            }
        }
        for list in many.iter().filter_map(|key| self.many.get(key)) {
            for bound in list
                .iter()
                .filter(|b| b.binding.lifetime == Lifetime::Singleton)
            {
                let mut slot = (bound.binding.empty)();
                if let Err(error) = bound.lend(self, self, None, TypeId::of::<()>(), &mut *slot) {
                    errors.push(BuildError::Eager {
                        service: bound.binding.name,
                        error,
                    });
                }
            }
        }
    }

    /// Every implementation [`add`](ContainerBuilder::add)ed for `T`, in the order they were
    /// added; none is not an error.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when one could not be made.
    pub fn resolve_all<T: ?Sized + 'static>(&self) -> Result<Vec<Arc<T>>, ResolveError> {
        (self as &dyn Resolver).resolve_all::<T>(core::any::type_name::<T>())
    }

    /// Every implementation of `type_id` into `out`, made by `resolver`.
    fn all_into(
        &self,
        resolver: &dyn Resolver,
        scope: Option<&Scope<'_>>,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        for (index, bound) in self.many.get(&type_id).into_iter().flatten().enumerate() {
            let mut made = (bound.binding.empty)();
            match (bound.binding.lifetime, scope) {
                // A scoped implementation is kept by the scope under the service and its
                // place among the implementations, apart from single bindings.
                (Lifetime::Scoped, Some(scope)) => {
                    let slot = slot_in(&scope.implementations, (type_id, index));
                    slot.lend(&bound.binding, scope, &mut *made)?;
                }
                _ => bound.lend(self, resolver, scope, type_id, &mut *made)?,
            }
            if !(bound.binding.push)(&mut *made, out) {
                return Err(ResolveError::Mismatch { service: name });
            }
        }
        Ok(())
    }

    fn param(&self, owner: TypeId, field: &'static str) -> Option<&(dyn Any + Send + Sync)> {
        self.params
            .iter()
            .find(|p| p.owner == owner && p.field == field)
            .map(|p| &*p.value)
    }

    /// An empty builder.
    #[must_use]
    pub fn builder() -> ContainerBuilder {
        ContainerBuilder::default()
    }

    /// The service bound for `T`.
    ///
    /// # Errors
    ///
    /// [`ResolveError::NotBound`] when nothing provides it, [`ResolveError::NeedsScope`] when
    /// it (or something it needs) lives per scope.
    #[inline]
    pub fn resolve<T: ?Sized + 'static>(&self) -> Result<Arc<T>, ResolveError> {
        super::inject::resolve::<T, Self>(self, core::any::type_name::<T>())
    }

    /// The shortcut to the service bound for `type_id`; a transient is made by the
    /// constructor for this container when `in_container`, else through the resolver asked.
    #[inline]
    fn shortcut(&self, type_id: TypeId, in_container: bool) -> Found<'_> {
        match self.bindings.get(&type_id) {
            Some(bound) => bound.found(in_container.then_some(self)),
            None => Found::ASK,
        }
    }

    /// A new scope: scoped services are created once in it.
    #[must_use]
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            container: self,
            instances: Mutex::new(TypeMap::default()),
            implementations: Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl Resolver for Container {
    #[inline]
    fn resolve_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        let bound = self
            .bindings
            .get(&type_id)
            .ok_or(ResolveError::NotBound { service: name })?;
        bound.lend(self, self, None, type_id, out)
    }

    fn resolve_all_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        self.all_into(self, None, type_id, name, out)
    }

    fn parameter(&self, owner: TypeId, field: &'static str) -> Option<&(dyn Any + Send + Sync)> {
        self.param(owner, field)
    }

    #[inline]
    fn found(&self, type_id: TypeId) -> Found<'_> {
        self.shortcut(type_id, true)
    }
}

/// The slot kept under `key` in one of a scope's maps, made empty the first time. The map is
/// locked only to find the slot: creating the service may resolve other scoped services of
/// the same scope.
fn slot_in<K: Eq + core::hash::Hash, S: core::hash::BuildHasher>(
    map: &Mutex<std::collections::HashMap<K, Arc<SingletonSlot>, S>>,
    key: K,
) -> Arc<SingletonSlot> {
    Arc::clone(
        map.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default(),
    )
}

/// Resolves like its container, but creates each scoped service once.
pub struct Scope<'c> {
    container: &'c Container,
    instances: Mutex<TypeMap<Arc<SingletonSlot>>>,
    /// Scoped implementations added for a service, by the service and their place.
    implementations: Mutex<std::collections::HashMap<(TypeId, usize), Arc<SingletonSlot>>>,
}

impl Scope<'_> {
    /// The service bound for `T`, from this scope.
    ///
    /// # Errors
    ///
    /// [`ResolveError::NotBound`] when nothing provides it.
    pub fn resolve<T: ?Sized + 'static>(&self) -> Result<Arc<T>, ResolveError> {
        super::inject::resolve::<T, Self>(self, core::any::type_name::<T>())
    }

    /// Every implementation added for `T`, from this scope.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when one could not be made.
    pub fn resolve_all<T: ?Sized + 'static>(&self) -> Result<Vec<Arc<T>>, ResolveError> {
        (self as &dyn Resolver).resolve_all::<T>(core::any::type_name::<T>())
    }
}

impl Resolver for Scope<'_> {
    fn resolve_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        let bound = self
            .container
            .bindings
            .get(&type_id)
            .ok_or(ResolveError::NotBound { service: name })?;
        bound.lend(self.container, self, Some(self), type_id, out)
    }

    fn resolve_all_into(
        &self,
        type_id: TypeId,
        name: &'static str,
        out: &mut dyn Any,
    ) -> Result<(), ResolveError> {
        self.container
            .all_into(self, Some(self), type_id, name, out)
    }

    fn parameter(&self, owner: TypeId, field: &'static str) -> Option<&(dyn Any + Send + Sync)> {
        self.container.param(owner, field)
    }

    #[inline]
    fn found(&self, type_id: TypeId) -> Found<'_> {
        // A scoped service is kept by the scope: there is no shortcut to it, and a transient
        // takes its own dependencies from the scope.
        self.container.shortcut(type_id, false)
    }
}
