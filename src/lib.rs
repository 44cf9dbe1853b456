//! Design patterns as annotations.
//!
//! Put an attribute or a derive on your own type and get the pattern, generated as the code a
//! careful engineer would write by hand, with compile errors that say what is wrong and how to
//! fix it.
//!
//! | pattern | annotation | runtime trait |
//! | --- | --- | --- |
//! | Singleton | [`#[singleton]`](macro@singleton) | [`Singleton`] |
//!
//! ```
//! use patternkit::prelude::*;
//!
//! #[singleton]
//! #[derive(Default)]
//! struct Settings {
//!     verbose: bool,
//! }
//!
//! assert!(!Settings::instance().verbose);
//! assert!(std::ptr::eq(Settings::instance(), Settings::get().unwrap()));
//! ```
//!
//! # Features
//!
//! - `testing`: `T::scoped_override(value, || ...)` on every singleton, so that each test
//!   thread can see its own instance. Off by default; with it off, nothing of it is compiled.

#[doc(inline)]
pub use patternkit_core::Singleton;
pub use patternkit_core::singleton;

/// Makes a struct or enum a [`Singleton`]: one lazily created, process-wide instance.
///
/// The instance lives in a hidden `static` backed by [`std::sync::OnceLock`]. Reaching it once
/// it exists is one acquire load and a branch. The attribute adds these inherent functions,
/// with the type's own visibility (and implements [`Singleton`] with the same behaviour):
///
/// | function | what it does |
/// | --- | --- |
/// | `instance() -> &'static T` | the instance, created on first call |
/// | `get() -> Option<&'static T>` | the instance if it exists; never creates it |
/// | `is_initialized() -> bool` | whether it exists |
/// | `try_instance() -> Result<&'static T, E>` | with `try_init` only: the error instead of a panic |
/// | `init(value: T) -> Result<&'static T, T>` | with `manual` only: sets it, or gives `value` back |
/// | `scoped_override(value: T, body) -> R` | with the `testing` feature only |
///
/// # Options
///
/// - `#[singleton]`: created with `T::default()`.
/// - `#[singleton(init = path)]`: created with `path`, a `fn() -> T`.
/// - `#[singleton(try_init = path)]`: created with `path`, a `fn() -> Result<T, E>`. An error
///   is not kept: the next call tries again. `instance()` panics with the type and the error
///   (`E: Debug`); `try_instance()` returns it. Rust cannot name a function's return type from
///   its path, so by default `try_instance()` returns the error boxed, as
///   `Box<dyn Error + Send + Sync>`; add `error = E` to get `E` itself.
/// - `#[singleton(manual)]`: never created automatically; call `T::init(value)` once.
///   `instance()` before that panics, saying `T::init` must be called first.
/// - `#[singleton(crate = path)]`: where to find `patternkit` when it was renamed in
///   `Cargo.toml`.
///
/// # Behaviour
///
/// - Any number of threads may race on the first access; the initialiser runs once.
/// - A panicking initialiser leaves the singleton empty, and the next access tries again
///   (no poisoning).
/// - An initialiser that needs its own singleton, directly (`A -> A`) or through others
///   (`A -> B -> A`), panics with the cycle named instead of deadlocking, also when the
///   singletons are being created on different threads.
///
/// # Examples
///
/// ```
/// use patternkit::singleton;
///
/// #[singleton(init = Config::load)]
/// pub struct Config {
///     pub url: String,
/// }
///
/// impl Config {
///     fn load() -> Self {
///         Config { url: "postgres://localhost".into() }
///     }
/// }
///
/// assert_eq!(Config::instance().url, "postgres://localhost");
/// ```
///
/// A fallible initialiser:
///
/// ```
/// use patternkit::singleton;
///
/// #[derive(Debug, PartialEq)]
/// pub struct MissingKey(&'static str);
///
/// #[singleton(try_init = Secrets::from_env, error = MissingKey)]
/// pub struct Secrets {
///     pub key: String,
/// }
///
/// impl Secrets {
///     fn from_env() -> Result<Self, MissingKey> {
///         std::env::var("PATTERNKIT_DOC_KEY")
///             .map(|key| Secrets { key })
///             .map_err(|_| MissingKey("PATTERNKIT_DOC_KEY"))
///     }
/// }
///
/// assert_eq!(Secrets::try_instance().err(), Some(MissingKey("PATTERNKIT_DOC_KEY")));
/// assert!(!Secrets::is_initialized());
/// ```
///
/// A value supplied once at start-up:
///
/// ```
/// use patternkit::singleton;
///
/// #[singleton(manual)]
/// #[derive(Debug)]
/// pub struct Args {
///     pub port: u16,
/// }
///
/// assert!(Args::get().is_none());
/// Args::init(Args { port: 8080 }).unwrap();
/// assert_eq!(Args::instance().port, 8080);
/// assert_eq!(Args::init(Args { port: 1 }).unwrap_err().port, 1);
/// ```
pub use patternkit_macros::singleton;

/// Everything needed to use the patterns: `use patternkit::prelude::*;`.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::Singleton;
    #[doc(no_inline)]
    pub use crate::singleton;
}

// The README's examples are compiled and run as doctests so they cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
