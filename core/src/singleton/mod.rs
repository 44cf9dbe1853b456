//! Process-wide single instances: the [`Singleton`] trait and the cell behind `#[singleton]`.
//!
//! A singleton is created on first use, exactly once however many threads race for it, and
//! lives for the rest of the program. Once it exists, reaching it costs one acquire load and a
//! branch, as a hand-written `static X: OnceLock<T>` does.
//!
//! What `OnceLock` and `LazyLock` alone do not give, and the cell here does:
//! - a failed or panicking initialiser is not cached: the next caller tries again (a
//!   `LazyLock` whose initialiser panicked stays poisoned for good);
//! - an initialiser that needs its own singleton, directly or through others (`A -> B -> A`),
//!   panics with the cycle named instead of deadlocking, also when the cycle spans threads;
//! - with the `testing` feature, a thread can see its own instance for the length of a closure.

mod cell;
mod generated;
#[cfg(feature = "testing")]
mod overrides;

pub use cell::SingletonCell;
#[doc(hidden)]
pub use generated::SingletonStatic;

/// A type with exactly one, lazily created, process-wide instance.
///
/// Implemented by `#[singleton]`; generic code can take `T: Singleton` to reach any
/// singleton. The same functions are also generated as inherent functions of the type, so
/// calling `Config::instance()` needs no import.
///
/// # Example
///
/// ```
/// use patternkit::prelude::*;
///
/// #[singleton]
/// #[derive(Default)]
/// struct Counter {
///     hits: std::sync::atomic::AtomicU64,
/// }
///
/// fn hits_of<T: Singleton + AsRef<std::sync::atomic::AtomicU64>>() -> u64 {
///     T::instance().as_ref().load(std::sync::atomic::Ordering::Relaxed)
/// }
///
/// impl AsRef<std::sync::atomic::AtomicU64> for Counter {
///     fn as_ref(&self) -> &std::sync::atomic::AtomicU64 {
///         &self.hits
///     }
/// }
///
/// assert!(!Counter::is_initialized());
/// assert_eq!(hits_of::<Counter>(), 0);
/// assert!(Counter::is_initialized());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a singleton",
    label = "`{Self}` has no `#[singleton]` attribute",
    note = "add `#[patternkit::singleton]` to the declaration of `{Self}`"
)]
pub trait Singleton: Sized + Send + Sync + 'static {
    /// The instance, created on first use.
    ///
    /// # Panics
    ///
    /// When the instance cannot be created: its fallible initialiser returned an error, a
    /// `manual` singleton was not given its value yet, or initialisation needs the singleton
    /// itself (a cycle such as `A -> B -> A`, named in the message).
    #[must_use]
    fn instance() -> &'static Self;

    /// The instance if it has been created, without ever creating it.
    #[must_use]
    fn get() -> Option<&'static Self>;

    /// The instance, once another thread (or an earlier call) has created it: blocks until
    /// then and never creates it, as `OnceLock::wait` does.
    #[must_use]
    fn wait() -> &'static Self;

    /// Whether the instance has been created.
    #[must_use]
    fn is_initialized() -> bool {
        Self::get().is_some()
    }
}
