//! Collecting bindings, and the checks `build` runs on all of them together.

use core::any::{Any, TypeId};
use std::sync::Arc;

use super::binding::{Binding, injected, injected_itself, instance, provided};
use super::container::{Bound, Container, Params};
use super::graph::{self, Graph};
use super::{BuildError, BuildErrors, Inject, Lifetime, Resolver};
use crate::type_map::{FrozenTypeMap, TypeMap};

/// Collects bindings; [`ContainerBuilder::build`] checks the whole graph.
///
/// A builder is `Clone`: assemble the application's bindings once, then derive variants
/// from it — a test [`replace`](ContainerBuilder::replace)s one binding with a stand-in.
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
#[derive(Clone, Default)]
pub struct ContainerBuilder {
    /// Each binding, and whether it replaces an earlier one.
    bindings: Vec<(TypeId, Binding, bool)>,
    /// Implementations added for a service resolved as `Vec<Arc<_>>`.
    many: Vec<(TypeId, Binding)>,
    params: Params,
    eager: bool,
}

impl ContainerBuilder {
    /// Binds `T` as itself, created once.
    #[must_use]
    pub fn singleton<T: Inject>(self) -> Self {
        self.bind_itself::<T>(Lifetime::Singleton)
    }

    /// Binds `T` as itself, created at every resolution.
    #[must_use]
    pub fn transient<T: Inject>(self) -> Self {
        self.bind_itself::<T>(Lifetime::Transient)
    }

    /// Binds `T` as itself, created once per [`Scope`](super::Scope).
    #[must_use]
    pub fn scoped<T: Inject>(self) -> Self {
        self.bind_itself::<T>(Lifetime::Scoped)
    }

    /// Binds `T` as itself.
    fn bind_itself<T: Inject>(mut self, lifetime: Lifetime) -> Self {
        self.bindings
            .push((TypeId::of::<T>(), injected_itself::<T>(lifetime), false));
        self
    }

    /// Binds the service `S` (often `dyn Trait`) to the implementation `T`, which `upcast`
    /// turns into the service: write `|t| t` and the compiler does the rest.
    #[must_use]
    pub fn bind<S, T>(mut self, lifetime: Lifetime, upcast: fn(Arc<T>) -> Arc<S>) -> Self
    where
        S: ?Sized + Send + Sync + 'static,
        T: Inject,
    {
        let binding = injected::<S, T>(lifetime, upcast);
        self.bindings.push((TypeId::of::<S>(), binding, false));
        self
    }

    /// Binds the service `S` to a value made elsewhere: a singleton with no dependencies.
    #[must_use]
    pub fn instance<S: ?Sized + Send + Sync + 'static>(mut self, value: Arc<S>) -> Self {
        self.bindings
            .push((TypeId::of::<S>(), instance::<S>(value), false));
        self
    }

    /// Binds the service `S` to a function that makes it, and may fail: it resolves what it
    /// needs from the [`Resolver`] it is given, and its error comes back from `resolve` as
    /// [`ResolveError::Failed`](super::ResolveError::Failed) (at `build` already, for an [`eager`](Self::eager)
    /// singleton). What it resolves is not part of the graph `build` checks; a cycle through
    /// it is reported when it is resolved ([`ResolveError::cycle`](super::ResolveError::cycle)), never a hang.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use patternkit::di::{Container, Lifetime, ResolveError};
    ///
    /// struct Config {
    ///     port: u16,
    /// }
    ///
    /// let container = Container::builder()
    ///     .provide::<Config, std::num::ParseIntError>(Lifetime::Singleton, |_| {
    ///         let port = "80a".parse::<u16>()?;
    ///         Ok(Arc::new(Config { port }))
    ///     })
    ///     .build()?;
    /// let error = container.resolve::<Config>().map(|c| c.port).unwrap_err();
    /// assert!(matches!(error, ResolveError::Failed { .. }));
    /// assert!(error.to_string().contains("invalid digit"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn provide<S, E>(
        mut self,
        lifetime: Lifetime,
        provider: impl Fn(&dyn Resolver) -> Result<Arc<S>, E> + Send + Sync + 'static,
    ) -> Self
    where
        S: ?Sized + Send + Sync + 'static,
        E: Into<Box<dyn core::error::Error + Send + Sync>>,
    {
        self.bindings.push((
            TypeId::of::<S>(),
            provided::<S, E>(lifetime, provider),
            false,
        ));
        self
    }

    /// Binds `S` to `T` in place of the binding made for `S` before (by `bind`, `instance`,
    /// `provide` or another `replace`): a test swaps one dependency of the assembled
    /// application. Replacing a service nothing bound is a [`BuildError::NothingToReplace`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use patternkit::di::{Container, ContainerBuilder, Inject, Lifetime};
    ///
    /// trait Clock: Send + Sync {
    ///     fn now(&self) -> u64;
    /// }
    ///
    /// #[derive(Inject)]
    /// struct SystemClock;
    /// impl Clock for SystemClock {
    ///     fn now(&self) -> u64 { 1_700_000_000 }
    /// }
    ///
    /// #[derive(Inject)]
    /// struct Stopped;
    /// impl Clock for Stopped {
    ///     fn now(&self) -> u64 { 0 }
    /// }
    ///
    /// fn application() -> ContainerBuilder {
    ///     Container::builder().bind::<dyn Clock, SystemClock>(Lifetime::Singleton, |c| c)
    /// }
    ///
    /// let test = application()
    ///     .replace::<dyn Clock, Stopped>(Lifetime::Singleton, |c| c)
    ///     .build()?;
    /// assert_eq!(test.resolve::<dyn Clock>()?.now(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn replace<S, T>(mut self, lifetime: Lifetime, upcast: fn(Arc<T>) -> Arc<S>) -> Self
    where
        S: ?Sized + Send + Sync + 'static,
        T: Inject,
    {
        let binding = injected::<S, T>(lifetime, upcast);
        self.bindings.push((TypeId::of::<S>(), binding, true));
        self
    }

    /// Binds `S` to `value` in place of the binding made for `S` before, as
    /// [`replace`](Self::replace) does.
    #[must_use]
    pub fn replace_instance<S: ?Sized + Send + Sync + 'static>(mut self, value: Arc<S>) -> Self {
        self.bindings
            .push((TypeId::of::<S>(), instance::<S>(value), true));
        self
    }

    /// Adds `T` to the implementations of `S` resolved together as `Vec<Arc<S>>` — by a
    /// `Vec<Arc<S>>` field of an injected type, or [`Container::resolve_all`] — in the order
    /// they were added. Independent of a single binding of `S`, which `resolve::<S>()` finds.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use patternkit::di::{Container, Inject, Lifetime};
    ///
    /// trait Check: Send + Sync {
    ///     fn name(&self) -> &'static str;
    /// }
    ///
    /// #[derive(Inject)]
    /// struct Disk;
    /// impl Check for Disk {
    ///     fn name(&self) -> &'static str { "disk" }
    /// }
    ///
    /// #[derive(Inject)]
    /// struct Network;
    /// impl Check for Network {
    ///     fn name(&self) -> &'static str { "network" }
    /// }
    ///
    /// #[derive(Inject)]
    /// struct Health {
    ///     checks: Vec<Arc<dyn Check>>,
    /// }
    ///
    /// let container = Container::builder()
    ///     .add::<dyn Check, Disk>(Lifetime::Singleton, |c| c)
    ///     .add::<dyn Check, Network>(Lifetime::Transient, |c| c)
    ///     .transient::<Health>()
    ///     .build()?;
    /// let health = container.resolve::<Health>()?;
    /// let names: Vec<_> = health.checks.iter().map(|c| c.name()).collect();
    /// assert_eq!(names, ["disk", "network"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn add<S, T>(mut self, lifetime: Lifetime, upcast: fn(Arc<T>) -> Arc<S>) -> Self
    where
        S: ?Sized + Send + Sync + 'static,
        T: Inject,
    {
        self.many
            .push((TypeId::of::<S>(), injected::<S, T>(lifetime, upcast)));
        self
    }

    /// Adds `value` to the implementations of `S`, as [`add`](Self::add) does.
    #[must_use]
    pub fn add_instance<S: ?Sized + Send + Sync + 'static>(mut self, value: Arc<S>) -> Self {
        self.many.push((TypeId::of::<S>(), instance::<S>(value)));
        self
    }

    /// Gives the value of the `#[inject(param)]` field `field` of `Owner` — configuration
    /// known when the container is built, for a type whose other fields are injected. Each
    /// resolution gets a clone. `build` reports a parameter that is missing, of another type
    /// than the field, or given for no such field.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use patternkit::di::{Container, Inject, Lifetime};
    ///
    /// trait Log: Send + Sync {}
    /// #[derive(Inject)]
    /// struct Quiet;
    /// impl Log for Quiet {}
    ///
    /// #[derive(Inject)]
    /// struct Database {
    ///     log: Arc<dyn Log>,
    ///     #[inject(param)]
    ///     url: String,
    /// }
    ///
    /// let container = Container::builder()
    ///     .bind::<dyn Log, Quiet>(Lifetime::Singleton, |l| l)
    ///     .singleton::<Database>()
    ///     .param::<Database>("url", String::from("postgres://localhost/test"))
    ///     .build()?;
    /// assert_eq!(container.resolve::<Database>()?.url, "postgres://localhost/test");
    ///
    /// let missing = Container::builder()
    ///     .bind::<dyn Log, Quiet>(Lifetime::Singleton, |l| l)
    ///     .singleton::<Database>()
    ///     .build();
    /// assert!(missing.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn param<Owner: 'static>(
        mut self,
        field: &'static str,
        value: impl Any + Send + Sync,
    ) -> Self {
        self.params.push(super::container::Param {
            owner: TypeId::of::<Owner>(),
            owner_name: core::any::type_name::<Owner>(),
            field,
            value: Arc::new(value),
        });
        self
    }

    /// Makes every singleton when the container is built, in name order, instead of on first
    /// use: a provider that fails, or a missing parameter, is a [`BuildError::Eager`] from
    /// `build` rather than an error at the first request.
    #[must_use]
    pub fn eager(mut self) -> Self {
        self.eager = true;
        self
    }

    /// The container, once every binding's dependencies are bound, no service needs itself,
    /// no singleton holds a shorter-lived service, and every parameter is given.
    ///
    /// # Errors
    ///
    /// Every problem found, not just the first.
    pub fn build(self) -> Result<Container, BuildErrors> {
        let mut errors = Vec::new();
        let mut bindings: TypeMap<Binding> = TypeMap::default();
        for (id, binding, replaces) in self.bindings {
            let name = binding.name;
            match (bindings.insert(id, binding), replaces) {
                (None, false) | (Some(_), true) => {}
                (Some(first), false) => {
                    // The first binding stays; the second is the mistake.
                    bindings.insert(id, first);
                    errors.push(BuildError::Duplicate { service: name });
                }
                (None, true) => errors.push(BuildError::NothingToReplace { service: name }),
            }
        }
        let mut many: TypeMap<Vec<Binding>> = TypeMap::default();
        for (id, binding) in self.many {
            many.entry(id).or_default().push(binding);
        }
        let graph = Graph {
            bindings: &bindings,
            many: &many,
        };
        graph::check(&graph, &mut errors);
        check_params(&graph, &self.params, &mut errors);
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        let mut singletons: Vec<(&'static str, TypeId)> = bindings
            .iter()
            .filter(|(_, b)| b.lifetime == Lifetime::Singleton)
            .map(|(id, b)| (b.name, *id))
            .collect();
        singletons.sort_unstable_by_key(|(name, _)| *name);
        let mut many_keys: Vec<(&'static str, TypeId)> = many
            .iter()
            .filter_map(|(id, list)| list.first().map(|b| (b.name, *id)))
            .collect();
        many_keys.sort_unstable_by_key(|(name, _)| *name);
        let many_keys: Vec<TypeId> = many_keys.into_iter().map(|(_, id)| id).collect();
        let container = Container::new(
            FrozenTypeMap::new(
                bindings
                    .into_iter()
                    .map(|(id, b)| (id, Bound::new(b)))
                    .collect(),
            ),
            FrozenTypeMap::new(
                many.into_iter()
                    .map(|(id, list)| (id, list.into_iter().map(Bound::new).collect()))
                    .collect(),
            ),
            self.params,
        );
        if self.eager {
            container.make_eager(&singletons, &many_keys, &mut errors);
            if !errors.is_empty() {
                return Err(BuildErrors(errors));
            }
        }
        Ok(container)
    }
}

/// Every parameter needed is given with the field's type, and every one given is needed.
fn check_params(graph: &Graph<'_>, given: &Params, errors: &mut Vec<BuildError>) {
    let needed = graph::params_needed(graph);
    for need in &needed {
        let found = given
            .iter()
            .find(|p| p.owner == need.owner && p.field == need.field);
        match found {
            Some(param) if (*param.value).type_id() == need.type_id => {}
            found => errors.push(BuildError::Param {
                owner: need.owner_name,
                field: need.field,
                given_other_type: found.is_some(),
            }),
        }
    }
    for param in given {
        if !needed
            .iter()
            .any(|n| n.owner == param.owner && n.field == param.field)
        {
            errors.push(BuildError::UnusedParam {
                owner: param.owner_name,
                field: param.field,
            });
        }
    }
}
