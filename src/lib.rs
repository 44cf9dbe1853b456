//! Design patterns as annotations.
//!
//! Put an attribute or a derive on your own type and get the pattern, generated as the code a
//! careful engineer would write by hand, with compile errors that say what is wrong and how to
//! fix it.
//!
//! | pattern | annotation | runtime trait |
//! | --- | --- | --- |
//! | Singleton | [`#[singleton]`](macro@singleton) | [`Singleton`] |
//! | Factory | [`#[derive(Factory)]`](derive@Factory) | [`Factory`], [`FactoryKind`] |
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
pub use patternkit_core::factory;
pub use patternkit_core::singleton;
#[doc(inline)]
pub use patternkit_core::{Factory, FactoryKind, UnknownKind};

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

/// Builds the variants of an enum from a kind or a name, and as trait objects.
///
/// For `enum Channel { … }` the derive generates:
///
/// | item | what it is |
/// | --- | --- |
/// | `enum ChannelKind { … }` | one fieldless variant per variant of `Channel` (not `skip`ped), with `Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord`, `Display` (its name) and `FromStr` |
/// | `ChannelKind::ALL: &'static [ChannelKind]` | every kind, in declaration order |
/// | `ChannelKind::name(self) -> &'static str` | the kind's name |
/// | `ChannelKind::from_name(&str) -> Result<ChannelKind, UnknownKind>` | lookup by name or alias |
/// | `Channel::create(kind: ChannelKind) -> Channel` | a new value of that variant |
/// | `Channel::kind(&self) -> ChannelKind` | the value's kind (`Option<ChannelKind>` when a variant is `skip`ped) |
/// | `Channel::from_name(&str) -> Result<Channel, UnknownKind>` | lookup, then `create` |
/// | `Channel::kinds() -> &'static [ChannelKind]` | `ChannelKind::ALL` |
/// | `Channel::into_product(self) -> Box<dyn Trait>` | with `product = dyn Trait` |
/// | `Channel::create_product(kind) -> Box<dyn Trait>` | with `product = dyn Trait` |
/// | `impl Factory for Channel`, `impl FactoryKind for ChannelKind` | for generic code |
///
/// # Names
///
/// A kind's name is its variant's name in `snake_case`, unless the enum says
/// `#[factory(rename_all = "...")]` (one of `"lowercase"`, `"UPPERCASE"`, `"PascalCase"`,
/// `"camelCase"`, `"snake_case"`, `"SCREAMING_SNAKE_CASE"`, `"kebab-case"`,
/// `"SCREAMING-KEBAB-CASE"`) or the variant says `#[factory(name = "...")]`. Each
/// `#[factory(alias = "...")]` on a variant adds a name that is accepted too.
///
/// Lookup ignores ASCII case and never allocates. It is a generated decision tree — on the
/// length of the name, then on the bytes that tell the remaining names apart — so it costs the
/// same for the first and the last of 500 names, and a miss is as cheap as a hit. A name that
/// matches nothing gives an [`UnknownKind`], which keeps the name, lists the accepted ones and
/// suggests the closest.
///
/// # Building the fields
///
/// `create` builds each field with `Default::default()`, unless the field says
/// `#[factory(with = path)]`, where `path` is a `fn() -> FieldType` (or a closure without
/// captures). On a variant with exactly one field, `#[factory(with = path)]` may go on the
/// variant instead; it builds that one field. The rule is the same for both places: `with`
/// always returns a field's value, never the whole enum, so `create(kind).kind() == kind`
/// holds by construction.
///
/// # Other options
///
/// - `#[factory(kind = Name)]` on the enum names the kind enum (default: the enum's name
///   followed by `Kind`); `#[factory(kind_derive(Trait, …))]` adds derives to it.
/// - `#[factory(skip)]` on a variant leaves it out of the kind enum and of name lookup.
/// - `#[factory(other)]` on one variant with one field (`Other(String)`) catches every name
///   that matches nothing, keeping the name (`From<&str>`); `from_name` then never fails.
/// - `#[factory(product = dyn Trait)]` on the enum: every variant holds exactly one value that
///   implements `Trait`, and `into_product`/`create_product` return it boxed.
/// - `#[factory(crate = path)]`: where to find a renamed `patternkit`.
///
/// Differences from strum's `EnumString`: names are matched ignoring ASCII case always (strum
/// needs `ascii_case_insensitive`); the default name is `snake_case` rather than the variant's
/// name as written; the error keeps the name and the choices; the catch-all variant is
/// `other` rather than `default`.
///
/// # Example
///
/// ```
/// use patternkit::Factory;
///
/// trait Notifier {
///     fn send(&self, to: &str) -> String;
/// }
///
/// #[derive(Default)]
/// struct Email;
/// impl Notifier for Email {
///     fn send(&self, to: &str) -> String {
///         format!("mail to {to}")
///     }
/// }
///
/// struct Sms {
///     gateway: &'static str,
/// }
/// impl Notifier for Sms {
///     fn send(&self, to: &str) -> String {
///         format!("text to {to} via {}", self.gateway)
///     }
/// }
///
/// #[derive(Factory)]
/// #[factory(product = dyn Notifier, rename_all = "kebab-case")]
/// enum Channel {
///     #[factory(alias = "mail")]
///     Email(Email),
///     #[factory(with = || Sms { gateway: "twilio" })]
///     Sms(Sms),
/// }
///
/// assert_eq!(ChannelKind::ALL, [ChannelKind::Email, ChannelKind::Sms]);
/// assert_eq!(Channel::from_name("MAIL").unwrap().kind(), ChannelKind::Email);
/// let sms = Channel::create_product(ChannelKind::Sms);
/// assert_eq!(sms.send("ada"), "text to ada via twilio");
/// assert_eq!(
///     Channel::from_name("fax").err().unwrap().to_string(),
///     "unknown `Channel` kind \"fax\"; expected one of \"email\", \"mail\", \"sms\""
/// );
/// ```
pub use patternkit_macros::Factory;

/// Everything needed to use the patterns: `use patternkit::prelude::*;`.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::singleton;
    #[doc(no_inline)]
    pub use crate::{Factory, FactoryKind, Singleton, UnknownKind};
}

// The README's examples are compiled and run as doctests so they cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
