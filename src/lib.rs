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
//! | State machine | [`#[derive(StateMachine)]`](derive@StateMachine) | [`StateMachine`] |
//! | CQRS | [`#[derive(Command, Query, Event, Bus)]`](cqrs), [`#[handlers]`](cqrs::handlers) | [`cqrs::Bus`], [`cqrs::Registry`] |
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
//! - `log`: [`cqrs::Logging`], a middleware logging every dispatch through the `log` facade.
//! - `serde`: `Serialize` for the state machine's [`TransitionInfo`], [`Fired`],
//!   [`InvalidTransition`] and [`Rejection`]. A machine's state is your own enum: derive
//!   `Serialize` and `Deserialize` on it beside `StateMachine` to save and restore it.

#[doc(inline)]
pub use patternkit_core::Singleton;
pub use patternkit_core::factory;

/// Command Query Responsibility Segregation: messages, handlers, a bus checked at compile
/// time and a registry filled at run time, with middleware around both.
///
/// ```
/// use patternkit::cqrs::{block_on, handlers, Bus, Command, Event, Query};
/// use std::sync::Mutex;
///
/// #[derive(Command)]
/// #[command(output = u64)]
/// struct CreateUser { name: String }
///
/// #[derive(Query)]
/// #[query(output = Option<String>)]
/// struct GetUser { id: u64 }
///
/// #[derive(Event)]
/// struct UserCreated { id: u64 }
///
/// #[derive(Default)]
/// struct Users { names: Mutex<Vec<String>> }
///
/// #[handlers]
/// impl Users {
///     #[command]
///     fn create(&self, command: CreateUser) -> Result<u64, std::convert::Infallible> {
///         let mut names = self.names.lock().unwrap();
///         names.push(command.name);
///         Ok(names.len() as u64)
///     }
///
///     #[query]
///     async fn get(&self, query: GetUser) -> Result<Option<String>, std::convert::Infallible> {
///         Ok(self.names.lock().unwrap().get(query.id as usize - 1).cloned())
///     }
/// }
///
/// #[derive(Default)]
/// struct Audit { seen: Mutex<Vec<u64>> }
///
/// #[handlers]
/// impl Audit {
///     #[event]
///     fn created(&self, event: &UserCreated) {
///         self.seen.lock().unwrap().push(event.id);
///     }
/// }
///
/// #[derive(Bus, Default)]
/// struct AppBus {
///     #[handles(CreateUser, GetUser)]
///     users: Users,
///     #[subscribes(UserCreated)]
///     audit: Audit,
/// }
///
/// let bus = AppBus::default();
/// block_on(async {
///     let id = bus.send(CreateUser { name: "ada".into() }).await?;
///     assert_eq!(bus.ask(GetUser { id }).await?, Some("ada".to_owned()));
///     bus.publish(&UserCreated { id }).await;
///     Ok::<(), patternkit::cqrs::DispatchError<std::convert::Infallible>>(())
/// })?;
/// assert_eq!(*bus.audit.seen.lock().unwrap(), [1]);
/// # Ok::<(), patternkit::cqrs::DispatchError<std::convert::Infallible>>(())
/// ```
///
/// # The derives
///
/// - `#[derive(Command)]` with `#[command(output = T, error = E, validate)]`, and the same for
///   `#[derive(Query)]` / `#[query(..)]`: `output` defaults to `()`, `error` to
///   [`Infallible`](core::convert::Infallible). `validate` makes the validation middleware
///   run the message's [`Validate`](cqrs::Validate) impl.
/// - `#[derive(Event)]` with `#[event(validate)]`.
/// - `#[handlers]` on an inherent impl block: each method marked `#[command]` or `#[query]`
///   (`fn m(&self, message: M) -> Result<Output, Error>`, `async` or not) or `#[event]`
///   (`fn m(&self, event: &E)`) becomes the handler trait impl for that message.
/// - `#[derive(Bus)]` on a struct: `#[handles(A, B)]` on the field that handles commands or
///   queries `A` and `B`, `#[subscribes(E)]` on every field that reacts to event `E` (called in
///   field order), `#[middleware]` on one `Pipeline` field, and `#[bus(publishes(E))]` for
///   events published to no one. It generates `send`, `ask` and `publish` (also as the
///   [`Bus`](cqrs::Bus) trait). A message without a handler, a message registered twice, a
///   field that does not handle what it claims, and a query sent as a command are compile
///   errors.
///
/// Every macro takes `crate = path` for a renamed `patternkit`.
pub mod cqrs {
    #[doc(inline)]
    pub use patternkit_core::cqrs::*;
    pub use patternkit_macros::{Bus, Command, Event, Query, handlers};
}

/// Dependency injection: `#[derive(Inject)]` builds a struct from its dependencies;
/// `#[derive(Container)]` wires them at compile time, and the runtime
/// [`Container`](struct@di::Container) holds bindings, its whole graph checked when it is built.
pub mod di {
    #[doc(inline)]
    pub use patternkit_core::di::*;
    pub use patternkit_macros::{Container, Inject};
}
pub use patternkit_core::singleton;
pub use patternkit_core::state_machine;
#[doc(inline)]
pub use patternkit_core::{Factory, FactoryKind, UnknownKind};
#[doc(inline)]
pub use patternkit_core::{Fired, InvalidTransition, Rejection, StateMachine, TransitionInfo};

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
///   `Box<dyn Error + Send + Sync>`; add `error = E` to get `E` itself. A closure that spells
///   out its return type (`try_init = || -> Result<T, E> { .. }`) needs no `error = E`.
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

/// Runs an enum as a state machine from a transition table, checked at compile time.
///
/// ```
/// use patternkit::StateMachine;
///
/// #[derive(Default)]
/// struct Keys {
///     has_key: bool,
///     log: Vec<String>,
/// }
///
/// enum DoorEvent {
///     Open,
///     Close,
///     Lock,
///     Unlock,
///     Kick,
/// }
///
/// fn has_key(_: &Door, _: &DoorEvent, keys: &Keys) -> bool {
///     keys.has_key
/// }
///
/// fn count_lock(_: &DoorEvent, keys: &mut Keys) -> u8 {
///     keys.log.push("locked".into());
///     1
/// }
///
/// fn log_unlock(times: u8, _: &DoorEvent, keys: &mut Keys) {
///     keys.log.push(format!("unlocked after {times} lock(s)"));
/// }
///
/// #[derive(StateMachine, Debug, PartialEq)]
/// #[state_machine(event = DoorEvent, context = Keys, initial = Closed, transitions = [
///     Closed + Open   => Opened,
///     Opened + Close  => Closed,
///     Closed + Lock   => Locked  if has_key then count_lock,
///     Locked + Unlock => Closed  then log_unlock,
///     _      + Kick   => Broken,
/// ])]
/// enum Door {
///     Opened,
///     Closed,
///     Locked { times: u8 },
///     #[state(final)]
///     Broken,
/// }
///
/// let mut keys = Keys { has_key: true, ..Keys::default() };
/// let mut door = Door::initial();
/// door.fire(&DoorEvent::Lock, &mut keys)?;
/// assert_eq!(door, Door::Locked { times: 1 });
/// assert!(door.fire(&DoorEvent::Open, &mut keys).is_err()); // rejected: state unchanged
/// door.fire(&DoorEvent::Unlock, &mut keys)?;
/// assert_eq!(keys.log, ["locked", "unlocked after 1 lock(s)"]);
/// assert!(Door::to_mermaid().starts_with("stateDiagram-v2"));
/// # Ok::<(), patternkit::InvalidTransition>(())
/// ```
///
/// # The table
///
/// `#[state_machine(...)]` on the enum takes:
///
/// - `event = Type` — the event enum (required). Rows name its variants.
/// - `initial = State` — the state `initial()` returns (required); its data, if any, comes
///   from `Default`.
/// - `context = Type` — what guards read and actions and hooks change; `()` when omitted.
/// - `transitions = [row, …]` — the table. A row reads
///   `Sources + Event => Target if guard then action`:
///   - `Sources` is a state, several as `A | B`, a superstate (the row applies to every state
///     inside it), or `_` (every state);
///   - `Event` is a variant of the event enum, optionally with a pattern on its fields:
///     `Unlock`, `Unlock(1234)`, `Unlock { code: 0, .. }`;
///   - `Target` is a state, a superstate (its initial state is entered), or `_` for an
///     internal transition: the state stays, no entry or exit hook runs, the action runs;
///   - `if guard` (optional) is a `fn(&State, &Event, &Context) -> bool`;
///   - `then action` (optional) runs when the row fires.
/// - `superstate(Name, states = [A, B], initial = A, entry = f, exit = g)` — groups states
///   (or other superstates); `initial` defaults to the first of `states`.
/// - `exhaustive` — every state must handle every event the table names.
/// - `crate = path` — where to find a renamed `patternkit`.
///
/// On a variant, `#[state(entry = f, exit = g)]` names hooks (`fn(&mut Context)`),
/// `#[state(final)]` marks a state the machine may end in, and `#[state(allow_unreachable)]`
/// allows a state no row leads to.
///
/// # Data
///
/// A state carries at most one field, its data: `Locked { times: u8 }` or `Locked(Lock)`.
/// The action's signature follows from the row:
///
/// | row | action |
/// | --- | --- |
/// | from one state with data, to a state with data | `fn(SourceData, &Event, &mut Context) -> TargetData` |
/// | from one state with data, to a state without | `fn(SourceData, &Event, &mut Context)` |
/// | from states without data (or several, or `_`), to a state with data | `fn(&Event, &mut Context) -> TargetData` |
/// | … to a state without data | `fn(&Event, &mut Context)` |
/// | internal (`=> _`), from one state with data | `fn(&mut SourceData, &Event, &mut Context)` |
/// | internal, otherwise | `fn(&Event, &mut Context)` |
///
/// The source's data moves into the action by value, so nothing is cloned. A row into a state
/// with data and without an action builds the data with `Default`.
///
/// # Running it
///
/// `fire(&mut self, &event, &mut context)` tries the rows for the current state and the
/// event: rows naming the state first, then rows of its superstate, outwards, then `_` rows,
/// each group in table order; the first whose pattern matches and whose guard holds fires.
/// It runs the exit hooks of the states left (innermost first), then the action, then the
/// entry hooks of the states entered (outermost first), and returns [`Fired`]. When no row
/// fires, it returns [`InvalidTransition`] and the state is unchanged. If an action that
/// receives the source's data by value panics, the machine is left in its first state
/// without data (or its initial state).
///
/// To save and restore a machine, derive serde's `Serialize` and `Deserialize` on the state
/// enum beside `StateMachine`: the state is the enum, data and all. The `serde` feature adds
/// `Serialize` for the runtime types.
///
/// Also generated: `initial()`, `state_name()`, `next(&event, &context)` (the row that would
/// fire, running only guards), `can(&event, &context)` — both take only `&event` when the
/// table names no context — the constants `STATES`, `EVENTS` and
/// `TRANSITIONS` (the table as [`TransitionInfo`] rows), `to_mermaid()` and `to_dot()`, and
/// `impl StateMachine`.
///
/// # Checked at compile time
///
/// A state name that does not exist; two rows without a guard for the same state and event;
/// a guarded row after an unguarded one, which could never fire; a state unreachable from the
/// initial state; a state with no way out that is not `final`; with `exhaustive`, a state and
/// event the table leaves unhandled; a guard, action or hook of the wrong signature; malformed
/// rows and unknown options. An event name that is not a variant of the event enum is
/// reported by the compiler at the name.
pub use patternkit_macros::StateMachine;

/// Everything needed to use the patterns: `use patternkit::prelude::*;`.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::cqrs::{Bus, Command, Event, Query, handlers};
    #[doc(no_inline)]
    pub use crate::singleton;
    #[doc(no_inline)]
    pub use crate::{Factory, FactoryKind, Singleton, StateMachine, UnknownKind};
}

// The README's examples are compiled and run as doctests so they cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
