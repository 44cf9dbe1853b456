use core::any::{Any, TypeId};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::binding::{Binding, Lifetime, Make, clone_service};
use super::{BuildError, BuildErrors, Inject, ResolveError, Resolver};
use crate::type_map::TypeMap;

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
        let make: Make = Arc::new(move |resolver: &dyn Resolver| {
            let service: Arc<S> = upcast(Arc::new(T::inject(resolver)?));
            Ok(Box::new(service) as Box<dyn Any + Send + Sync>)
        });
        self.bindings.push((
            TypeId::of::<S>(),
            Binding {
                name: core::any::type_name::<S>(),
                lifetime,
                dependencies: T::DEPENDENCIES,
                make,
                clone: clone_service::<S>,
            },
        ));
        self
    }

    /// Binds the service `S` to a value made elsewhere: a singleton with no dependencies.
    #[must_use]
    pub fn instance<S: ?Sized + Send + Sync + 'static>(mut self, value: Arc<S>) -> Self {
        let make: Make = Arc::new(move |_: &dyn Resolver| {
            Ok(Box::new(Arc::clone(&value)) as Box<dyn Any + Send + Sync>)
        });
        self.bindings.push((
            TypeId::of::<S>(),
            Binding {
                name: core::any::type_name::<S>(),
                lifetime: Lifetime::Singleton,
                dependencies: &[],
                make,
                clone: clone_service::<S>,
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
        let singletons = bindings
            .iter()
            .filter(|(_, b)| b.lifetime == Lifetime::Singleton)
            .map(|(id, _)| (*id, SingletonSlot::default()))
            .collect();
        Ok(Container {
            bindings,
            singletons,
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
    /// The instance, made by `binding` the first time; racing threads wait for that one.
    fn get_or_make(
        &self,
        binding: &Binding,
        resolver: &dyn Resolver,
    ) -> Result<Box<dyn Any + Send>, ResolveError> {
        if let Some(value) = self.value.get() {
            return Ok(clone_arc(&**value, binding));
        }
        // Creation is serialised per slot; the graph has no cycles, so it cannot wait for
        // itself.
        let _creating = self.creating.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = self.value.get() {
            return Ok(clone_arc(&**value, binding));
        }
        let made = (binding.make)(resolver)?;
        let value = self.value.get_or_init(|| made);
        Ok(clone_arc(&**value, binding))
    }
}

/// Services resolved from validated bindings. `Send + Sync`: share it between threads.
pub struct Container {
    bindings: TypeMap<Binding>,
    singletons: TypeMap<SingletonSlot>,
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
    pub fn resolve<T: ?Sized + 'static>(&self) -> Result<Arc<T>, ResolveError> {
        (self as &dyn Resolver).resolve::<T>(core::any::type_name::<T>())
    }

    /// A new scope: scoped services are created once in it.
    #[must_use]
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            container: self,
            instances: Mutex::new(TypeMap::default()),
        }
    }

    fn singleton(
        &self,
        id: TypeId,
        binding: &Binding,
        resolver: &dyn Resolver,
    ) -> Result<Box<dyn Any + Send>, ResolveError> {
        let slot = self.singletons.get(&id).ok_or(ResolveError::NotBound {
            service: binding.name,
        })?;
        slot.get_or_make(binding, resolver)
    }
}

/// The stored `Arc<S>` of a binding, cloned into a new box.
fn clone_arc(value: &(dyn Any + Send + Sync), binding: &Binding) -> Box<dyn Any + Send> {
    (binding.clone)(value)
}

impl Resolver for Container {
    fn resolve_erased(
        &self,
        type_id: TypeId,
        name: &'static str,
    ) -> Result<Box<dyn Any + Send>, ResolveError> {
        let binding = self
            .bindings
            .get(&type_id)
            .ok_or(ResolveError::NotBound { service: name })?;
        match binding.lifetime {
            Lifetime::Singleton => self.singleton(type_id, binding, self),
            Lifetime::Transient => (binding.make)(self).map(|b| b as Box<dyn Any + Send>),
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
    fn resolve_erased(
        &self,
        type_id: TypeId,
        name: &'static str,
    ) -> Result<Box<dyn Any + Send>, ResolveError> {
        let binding = self
            .container
            .bindings
            .get(&type_id)
            .ok_or(ResolveError::NotBound { service: name })?;
        match binding.lifetime {
            Lifetime::Singleton => self.container.singleton(type_id, binding, self.container),
            Lifetime::Transient => (binding.make)(self).map(|b| b as Box<dyn Any + Send>),
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
                slot.get_or_make(binding, self)
            }
        }
    }
}
