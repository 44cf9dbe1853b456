//! Messages: commands change the write model, queries read the read model, events say what
//! changed.

use super::ValidationError;

/// Which of the three a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A request to change state; exactly one handler.
    Command,
    /// A request to read state; exactly one handler.
    Query,
    /// A fact that happened; zero or more subscribers.
    Event,
}

impl core::fmt::Display for MessageKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            MessageKind::Command => "command",
            MessageKind::Query => "query",
            MessageKind::Event => "event",
        })
    }
}

/// What every command, query and event has: a name and a kind, and a check of its own
/// contents that the validation middleware runs before any handler.
///
/// Implemented by `#[derive(Command)]`, `#[derive(Query)]` and `#[derive(Event)]`.
pub trait Message: Send + 'static {
    /// Which handler trait this message needs: [`CommandFamily`](super::CommandFamily),
    /// [`QueryFamily`](super::QueryFamily) or [`EventFamily`](super::EventFamily), set by the
    /// derives.
    type Family: super::bus::Family;

    /// The type's name, for errors and logs.
    const NAME: &'static str;
    /// Command, query or event.
    const KIND: MessageKind;

    /// Checks the message's contents. The derives call [`Validate`] when asked to
    /// (`#[command(validate)]`); otherwise every message is valid.
    ///
    /// # Errors
    ///
    /// What is wrong with the message.
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// What commands and queries share: one handler, and a declared output and error. It lets a
/// [`Behavior`](super::Behavior) or generic code work with either.
///
/// `#[derive(Command)]` and `#[derive(Query)]` implement it with the `output = T` and
/// `error = E` options; `output` defaults to `()` and `error` to [`core::convert::Infallible`].
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{Command, Query, Request};
///
/// #[derive(Command)]
/// #[command(output = u64, error = String)]
/// struct CreateUser;
///
/// #[derive(Query)]
/// struct CountUsers;
///
/// fn describe<R: Request>() -> (&'static str, &'static str) {
///     (R::NAME, core::any::type_name::<R::Output>())
/// }
/// assert_eq!(describe::<CreateUser>(), ("CreateUser", "u64"));
/// assert_eq!(describe::<CountUsers>(), ("CountUsers", "()"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a command or a query",
    label = "a command or a query is needed here",
    note = "derive `patternkit::cqrs::Command` or `patternkit::cqrs::Query` on `{Self}`; an \
            event has no single handler and no output"
)]
pub trait Request: Message {
    /// What handling it returns.
    type Output: Send + 'static;
    /// How handling it fails.
    type Error: Send + 'static;
}

/// A request to change the write model, handled by exactly one [`CommandHandler`].
///
/// `#[derive(Command)]` with `#[command(output = T, error = E)]` implements it and
/// [`Request`], which holds the output and error types.
///
/// [`CommandHandler`]: super::CommandHandler
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a command",
    label = "a command is needed here",
    note = "derive `patternkit::cqrs::Command` on `{Self}`; if it is a query, ask it with \
            `ask(..)` (or register it with `.query::<..>(..)`)"
)]
pub trait Command: Request {}

/// A request to read the read model, handled by exactly one [`QueryHandler`].
///
/// `#[derive(Query)]` with `#[query(output = T, error = E)]` implements it and [`Request`],
/// which holds the output and error types.
///
/// [`QueryHandler`]: super::QueryHandler
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query",
    label = "a query is needed here",
    note = "derive `patternkit::cqrs::Query` on `{Self}`; if it is a command, send it with \
            `send(..)` (or register it with `.command::<..>(..)`)"
)]
pub trait Query: Request {}

/// Something that happened, delivered to every subscribed [`EventHandler`] in order.
///
/// [`EventHandler`]: super::EventHandler
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event",
    label = "`publish` takes an event",
    note = "derive `patternkit::cqrs::Event` on `{Self}`"
)]
pub trait Event: Message + Sync {}

/// A message's own rules, run by the validation middleware before any handler sees it.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{Command, Validate, ValidationError};
///
/// #[derive(Command)]
/// #[command(output = u64, validate)]
/// struct CreateUser {
///     name: String,
/// }
///
/// impl Validate for CreateUser {
///     fn validate(&self) -> Result<(), ValidationError> {
///         if self.name.trim().is_empty() {
///             return Err(ValidationError::new("name", "must not be empty"));
///         }
///         Ok(())
///     }
/// }
///
/// // The derive makes `Message::validate` run these rules.
/// let blank = CreateUser { name: " ".into() };
/// assert!(patternkit::cqrs::Message::validate(&blank).is_err());
/// ```
pub trait Validate {
    /// Checks the message.
    ///
    /// # Errors
    ///
    /// What is wrong with it.
    fn validate(&self) -> Result<(), ValidationError>;
}
