use core::any::{Any, TypeId};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::Lifetime;
use super::binding::{Binding, Make, empty_service, lend_service, put_service};
use super::{BuildError, BuildErrors, Inject, ResolveError, Resolver};
use crate::type_map::{FrozenTypeMap, TypeMap};

/// Collects bindings; [`ContainerBuilder::build`] checks the whole graph.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use patternkit::di::{Container, Inject, Lifetime};
///
/// trait Logger: Send + Sync {
///     fn log(&self, line: &str) -> String;
/// }
///
/// #[derive(Inject)]
/// struct ConsoleLogger;
///
/// impl Logger for ConsoleLogger {
///     fn log(&self, line: &str) -> String {
///         format!("[console] {line}")
///     }
/// }
///
/// #[derive(Inject)]
/// struct App {
///     logger: Arc<dyn Logger>,
/// }
///
/// let container = Container::builder()
///     .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |logger| logger)
///     .transient::<App>()
///     .build()?;
/// let app = container.resolve::<App>()?;
/// assert_eq!(app.logger.log("hi"), "[console] hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
pub struct ContainerBuilder {
    bindings: Vec<(TypeId, Binding)>,
}

impl ContainerBuilder {
    /// Binds `T` as itself, created once.
    #[must_use]
    pub fn singleton<T: Inject>(self) -> Self {
        self.bind::<T, T>(Lifetime::Singleton, |t| t)
    }

    /// Binds `T` as itself, created at every resolution.
    #[must_use]
    pub fn transient<T: Inject>(self) -> Self {
        self.bind::<T, T>(Lifetime::Transient, |t| t)
    }

    /// Binds `T` as itself, created once per [`Scope`].
    #[must_use]
    pub fn scoped<T: Inject>(self) -> Self {
        self.bind::<T, T>(Lifetime::Scoped, |t| t)
    }

    /// Binds the service `S` (often `dyn Trait`) to the implementation `T`, which `upcast`
    /// turns into the service: write `|t| t` and the compiler does the rest.
    #[must_use]
    pub fn bind<S, T>(mut self, lifetime: Lifetime, upcast: fn(Arc<T>) -> Arc<S>) -> Self
    where
        S: ?Sized + Send + Sync + 'static,
        T: Inject,
    {
        let name = core::any::type_name::<S>();
        let make: Make = Arc::new(move |resolver: &dyn Resolver, out: &mut dyn Any| {
            let service: Arc<S> = upcast(Arc::new(T::inject(resolver)?));
            if put_service(service, out) {
                Ok(())
            } else {
                Err(ResolveError::Mismatch { service: name })
            }
        });
        self.bindings.push((
            TypeId::of::<S>(),
            Binding {
                name: core::any::type_name::<S>(),
                lifetime,
                dependencies: T::DEPENDENCIES,
                make,
                empty: empty_service::<S>,
                lend: lend_service::<S>,
            },
        ));
        self
    }

    /// Binds the service `S` to a value made elsewhere: a singleton with no dependencies.
    #[must_use]
    pub fn instance<S: ?Sized + Send + Sync + 'static>(mut self, value: Arc<S>) -> Self {
        let name = core::any::type_name::<S>();
        let make: Make = Arc::new(move |_: &dyn Resolver, out: &mut dyn Any| {
            if put_service(Arc::clone(&value), out) {
                Ok(())
            } else {
                Err(ResolveError::Mismatch { service: name })
            }
        });
        self.bindings.push((
            TypeId::of::<S>(),
            Binding {
                name: core::any::type_name::<S>(),
                lifetime: Lifetime::Singleton,
                dependencies: &[],
                make,
                empty: empty_service::<S>,
                lend: lend_service::<S>,
            },
        ));
        self
    }

    /// The container, once every binding's dependencies are bound, no service needs itself,
    /// and no singleton holds a shorter-lived service.
    ///
    /// # Errors
    ///
    /// Every problem found, not just the first.
    pub fn build(self) -> Result<Container, BuildErrors> {
        let mut errors = Vec::new();
        let mut bindings: TypeMap<Binding> = TypeMap::default();
        for (id, binding) in self.bindings {
            match bindings.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => {
                    errors.push(BuildError::Duplicate {
                        service: binding.name,
                    });
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(binding);
                }
            }
        }
        super::graph::check(&bindings, &mut errors);
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        let bound: TypeMap<Bound> = bindings
            .into_iter()
            .map(|(id, binding)| {
                let bound = Bound {
                    binding,
                    singleton: SingletonSlot::default(),
                };
                (id, bound)
            })
            .collect();
        Ok(Container {
            bindings: FrozenTypeMap::new(bound),
        })
    }
}

/// Where a singleton (or one scope's instance of a scoped service) is kept, created by one
/// thread while the others wait for it.
#[derive(Default)]
struct SingletonSlot {
    value: OnceLock<Box<dyn Any + Send + Sync>>,
    creating: Mutex<()>,
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
        // Creation is serialised per slot; the graph has no cycles, so it cannot wait for
        // itself.
        let _creating = self.creating.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = self.value.get() {
            return Ok(&**value);
        }
        let mut made = (binding.empty)();
        (binding.make)(resolver, &mut *made)?;
        Ok(&**self.value.get_or_init(|| made))
    }
}

/// A binding, with the slot its instance lives in when it is a singleton: one lookup finds
/// both.
struct Bound {
    binding: Binding,
    singleton: SingletonSlot,
}

/// Services resolved from validated bindings. `Send + Sync`: share it between threads.
pub struct Container {
    bindings: FrozenTypeMap<Bound>,
}

impl Container {
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
        match self.made::<T>() {
            Some(service) => Ok(service),
            None => self.resolve_slow::<T>(),
        }
    }

    /// A singleton already made: a lookup and a clone, with nothing erased in between.
    #[inline]
    fn made<T: ?Sized + 'static>(&self) -> Option<Arc<T>> {
        let bound = self.bindings.get(&TypeId::of::<T>())?;
        let value = bound.singleton.value.get()?;
        debug_assert!(value.is::<Option<Arc<T>>>());
        // SAFETY: the binding found under `TypeId::of::<T>()` was made by `bind` or
        // `instance` for a service `S` with `TypeId::of::<S>()` as its key, and its slot only
        // ever holds what `empty_service::<S>` made, an `Option<Arc<S>>`. Equal `TypeId`s are
        // the same type, so `S` is `T`: the cast is what `downcast_ref` would return, without
        // asking the value its type again.
        let service = unsafe {
            &*core::ptr::from_ref::<dyn Any + Send + Sync>(&**value).cast::<Option<Arc<T>>>()
        };
        service.clone()
    }

    /// Everything but a singleton already made, out of the way of that path.
    #[cold]
    #[inline(never)]
    fn resolve_slow<T: ?Sized + 'static>(&self) -> Result<Arc<T>, ResolveError> {
        let mut out: Option<Arc<T>> = None;
        self.resolve_into(TypeId::of::<T>(), core::any::type_name::<T>(), &mut out)?;
        out.ok_or(ResolveError::Mismatch {
            service: core::any::type_name::<T>(),
        })
    }

    /// A new scope: scoped services are created once in it.
    #[must_use]
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            container: self,
            instances: Mutex::new(TypeMap::default()),
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
        let binding = &bound.binding;
        match binding.lifetime {
            Lifetime::Singleton => bound.singleton.lend(binding, self, out),
            // A transient is made straight into `out`.
            Lifetime::Transient => (binding.make)(self, out),
            Lifetime::Scoped => Err(ResolveError::NeedsScope {
                service: binding.name,
            }),
        }
    }
}

/// Resolves like its container, but creates each scoped service once.
pub struct Scope<'c> {
    container: &'c Container,
    instances: Mutex<TypeMap<Arc<SingletonSlot>>>,
}

impl Scope<'_> {
    /// The service bound for `T`, from this scope.
    ///
    /// # Errors
    ///
    /// [`ResolveError::NotBound`] when nothing provides it.
    pub fn resolve<T: ?Sized + 'static>(&self) -> Result<Arc<T>, ResolveError> {
        (self as &dyn Resolver).resolve::<T>(core::any::type_name::<T>())
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
        let binding = &bound.binding;
        match binding.lifetime {
            Lifetime::Singleton => bound.singleton.lend(binding, self.container, out),
            // A transient is made straight into `out`.
            Lifetime::Transient => (binding.make)(self, out),
            Lifetime::Scoped => {
                // The map is locked only to find the slot: creating the service may resolve
                // other scoped services of this scope.
                let slot = Arc::clone(
                    self.instances
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .entry(type_id)
                        .or_default(),
                );
                slot.lend(binding, self, out)
            }
        }
    }
}
