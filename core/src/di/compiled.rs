//! What `#[derive(Container)]` builds on: a container that provides each service through a
//! trait impl, so resolving is direct code — no map, no `dyn Any` — and a service it cannot
//! provide, directly or for a dependency of a dependency, is a compile error.

use alloc::sync::Arc;
#[cfg(not(feature = "std"))]
use core::cell::{Cell, OnceCell};
use core::marker::PhantomData;
#[cfg(feature = "std")]
use std::sync::OnceLock;

#[cfg(feature = "std")]
use crate::init_lock::{self, Claimed};

/// A container that provides `S`. `#[derive(Container)]` implements it for every
/// `#[provide(S, ..)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot provide `{S}`",
    label = "`{S}` is needed here, directly or by something `{Self}` provides",
    note = "add a field `#[provide({S}, singleton)] name: Once<Implementation>` (or `transient` \
            with `Each<..>`) to `{Self}`"
)]
pub trait Provides<S: ?Sized> {
    /// Which `#[provide]` field of a derived container provides `S`, so the container's
    /// cycle check follows types as the compiler sees them, not as they are written.
    #[doc(hidden)]
    const SLOT: Option<usize> = None;

    /// The service.
    fn provide(&self) -> Arc<S>;
}

/// A type built from a compile-time container `C`. `#[derive(Inject)]` implements it for every
/// container that provides what the type needs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be assembled from `{C}`",
    note = "derive `patternkit::di::Inject` on `{Self}`; `{C}` must provide every `Arc<..>` it holds",
    note = "a type with `#[inject(param)]` or `Vec<Arc<..>>` fields is built by the runtime \
            `Container` only: parameters and added implementations are given to its builder"
)]
pub trait Assemble<C: ?Sized>: Sized {
    /// What the type takes from `C`, field by field, for the container's cycle check.
    #[doc(hidden)]
    const WIRING: &'static [Wire] = &[];

    /// A new value, its dependencies taken from `container`.
    fn assemble(container: &C) -> Self;
}

/// One dependency of an [`Assemble`] type, seen from the container that builds it.
#[derive(Clone, Copy, Debug)]
pub enum Wire {
    /// A service the container provides, by its [`Provides::SLOT`].
    Service(Option<usize>),
    /// A value built in place from its own dependencies.
    Built(&'static [Wire]),
}

/// A singleton provider field: the implementation `T`, created on first use, once.
///
/// With the `std` feature it is shared by threads (a `OnceLock` with a cycle check across
/// threads); without it, in `no_std`, it is a single-threaded cell (a container holding one
/// is then not `Sync`), and a cycle is still a panic naming the service, never a hang.
#[cfg(feature = "std")]
pub struct Once<T>(OnceLock<Arc<T>>);

/// A singleton provider field: the implementation `T`, created on first use, once.
///
/// With the `std` feature it is shared by threads (a `OnceLock` with a cycle check across
/// threads); without it, in `no_std`, it is a single-threaded cell (a container holding one
/// is then not `Sync`), and a cycle is still a panic naming the service, never a hang.
#[cfg(not(feature = "std"))]
pub struct Once<T>(OnceCell<Arc<T>>, Cell<bool>);

impl<T> Default for Once<T> {
    fn default() -> Self {
        #[cfg(feature = "std")]
        return Once(OnceLock::new());
        #[cfg(not(feature = "std"))]
        Once(OnceCell::new(), Cell::new(false))
    }
}

impl<T> Once<T> {
    /// The instance, made by `make` on the first call.
    ///
    /// With `std`, `make` runs once however many threads race for the instance; when it
    /// panics, the next call runs it again.
    ///
    /// # Panics
    ///
    /// When `make` needs this same instance, directly or through other services (with `std`
    /// also when the cycle spans threads): the message names the chain, where a plain
    /// `OnceLock` would block forever. A derived container rejects such cycles at compile
    /// time; this catches the ones that pass through hand-written [`Provides`] impls.
    #[inline]
    pub fn get_or_init(&self, make: impl FnOnce() -> T) -> Arc<T> {
        match self.0.get() {
            Some(instance) => Arc::clone(instance),
            None => self.initialize(make),
        }
    }
}

#[cfg(not(feature = "std"))]
impl<T> Once<T> {
    #[cold]
    #[inline(never)]
    fn initialize(&self, make: impl FnOnce() -> T) -> Arc<T> {
        /// Clears the mark when `make` returns or unwinds.
        struct Creating<'a>(&'a Cell<bool>);
        impl Drop for Creating<'_> {
            fn drop(&mut self) {
                self.0.set(false);
            }
        }

        if self.1.replace(true) {
            let name = core::any::type_name::<T>();
            cycle_found(&alloc::format!("{name} -> … -> {name}"));
        }
        let creating = Creating(&self.1);
        let instance = Arc::new(make());
        drop(creating);
        Arc::clone(self.0.get_or_init(|| instance))
    }
}

#[cfg(feature = "std")]
impl<T> Once<T> {
    #[cold]
    #[inline(never)]
    fn initialize(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let key = core::ptr::from_ref(self).addr();
        let name = core::any::type_name::<T>();
        let claim = match init_lock::global().claim(key, name, || self.0.get().is_some()) {
            Claimed::Mine(claim) => Some(claim),
            Claimed::Done => None,
            Claimed::Cycle(cycle) => cycle_found(&cycle),
        };
        if claim.is_some() {
            let instance = Arc::new(make());
            // Only the claim's holder sets the cell, so this is the first value.
            let _ = self.0.set(instance);
        }
        drop(claim);
        Arc::clone(self.0.get().unwrap_or_else(|| unreachable!()))
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn cycle_found(cycle: &str) -> ! {
    panic!(
        "dependency cycle while creating a singleton service: {cycle}; a service cannot need \
         itself: break the chain, e.g. with a `Weak` or by moving what they share into a third \
         service"
    )
}

impl<T> core::fmt::Debug for Once<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Once(created)"
        } else {
            "Once(not yet)"
        })
    }
}

/// A transient provider field: a new `T` at every resolution.
pub struct Each<T>(PhantomData<fn() -> T>);

impl<T> Default for Each<T> {
    fn default() -> Self {
        Each(PhantomData)
    }
}

impl<T> core::fmt::Debug for Each<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Each")
    }
}

/// One `#[provide]` field of a compile-time container, for [`check_graph`].
pub struct Provider {
    /// The service as written in `#[provide(..)]`, for the message.
    pub service: &'static str,
    /// What its implementation takes from the container.
    pub wiring: &'static [Wire],
}

const MAX_DEPTH: usize = 64;
const MESSAGE: usize = 1024;

/// A cycle found by [`check_graph`], as text built at compile time.
pub struct CycleMessage {
    bytes: [u8; MESSAGE],
    len: usize,
}

impl CycleMessage {
    /// The message.
    #[must_use]
    pub const fn as_str(&self) -> &str {
        let (text, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(text) {
            Ok(text) => text,
            Err(_) => "dependency cycle",
        }
    }

    const fn push(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < MESSAGE {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
    }
}

/// The first cycle among the providers of `container` (a service that needs itself through
/// the services the others provide), as the message the generated `const` panics with:
/// `dependency cycle in AppContainer: A -> B -> A`.
#[must_use]
pub const fn check_graph(container: &str, providers: &[Provider]) -> Option<CycleMessage> {
    let mut start = 0;
    while start < providers.len() {
        let mut path = [0usize; MAX_DEPTH];
        path[0] = start;
        if let Some(message) = walk(container, providers, &mut path, 1, providers[start].wiring) {
            return Some(message);
        }
        start += 1;
    }
    None
}

const fn walk(
    container: &str,
    providers: &[Provider],
    path: &mut [usize; MAX_DEPTH],
    depth: usize,
    wiring: &[Wire],
) -> Option<CycleMessage> {
    let mut i = 0;
    while i < wiring.len() {
        let found = match wiring[i] {
            Wire::Built(inner) => walk(container, providers, path, depth, inner),
            // A service this container's fields do not provide has no edges to follow.
            Wire::Service(None) => None,
            Wire::Service(Some(next)) if next >= providers.len() => None,
            Wire::Service(Some(next)) => match position(path, depth, next) {
                Some(from) => Some(cycle(container, providers, path, from, depth, next)),
                None if depth < MAX_DEPTH => {
                    path[depth] = next;
                    walk(
                        container,
                        providers,
                        path,
                        depth + 1,
                        providers[next].wiring,
                    )
                }
                None => None,
            },
        };
        if found.is_some() {
            return found;
        }
        i += 1;
    }
    None
}

const fn position(path: &[usize; MAX_DEPTH], depth: usize, node: usize) -> Option<usize> {
    let mut i = 0;
    while i < depth {
        if path[i] == node {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn cycle(
    container: &str,
    providers: &[Provider],
    path: &[usize; MAX_DEPTH],
    from: usize,
    depth: usize,
    back_to: usize,
) -> CycleMessage {
    let mut message = CycleMessage {
        bytes: [0; MESSAGE],
        len: 0,
    };
    message.push("dependency cycle in `");
    message.push(container);
    message.push("`: ");
    let mut i = from;
    while i < depth {
        message.push(providers[path[i]].service);
        message.push(" -> ");
        i += 1;
    }
    message.push(providers[back_to].service);
    message.push(
        "; a service cannot need itself: break the chain, e.g. with a `Weak` or by moving what \
         they share into a third service",
    );
    message
}
