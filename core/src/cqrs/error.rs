use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::MessageKind;

/// What is wrong with a message, found before any handler saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    field: &'static str,
    problem: String,
}

impl ValidationError {
    /// `field` (the part of the message at fault) and what is wrong with it.
    #[must_use]
    pub fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
        }
    }

    /// The part of the message at fault.
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// What is wrong with it.
    #[must_use]
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.problem)
    }
}

impl core::error::Error for ValidationError {}

/// Why a command or query did not produce its output (or, for an event, why some
/// subscribers did not succeed).
///
/// The two cases a handler never causes are boxed, so the error is small: a dispatch whose
/// handler returns `Result<(), Infallible>` returns a 16-byte result, in registers.
///
/// ```
/// use patternkit::cqrs::{DispatchError, MessageKind, ValidationError};
///
/// let rejected: DispatchError<String> =
///     DispatchError::rejected("CreateUser", ValidationError::new("name", "must not be empty"));
/// match &rejected {
///     DispatchError::Rejected(rejection) => assert_eq!(rejection.error.field(), "name"),
///     DispatchError::NoHandler(unhandled) => println!("no handler for {}", unhandled.message),
///     DispatchError::Handler(error) => println!("the handler failed: {error}"),
/// }
/// assert_eq!(rejected.message(), Some("CreateUser"));
/// assert_eq!(core::mem::size_of::<DispatchError<core::convert::Infallible>>(), 16);
/// ```
#[derive(Debug, PartialEq, Eq)]
pub enum DispatchError<E> {
    /// No handler is registered for the message (runtime registry only: the static bus
    /// does not compile without one).
    NoHandler(Box<Unhandled>),
    /// A middleware or behaviour rejected the message; its handler never saw it.
    Rejected(Box<Rejection>),
    /// The handler ran and returned this error.
    Handler(E),
}

/// A message with no handler: [`DispatchError::NoHandler`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    /// The message type's name.
    pub message: &'static str,
    /// Command or query.
    pub kind: MessageKind,
}

/// A message stopped before its handler: [`DispatchError::Rejected`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The message type's name.
    pub message: &'static str,
    /// Why.
    pub error: ValidationError,
}

impl<E> DispatchError<E> {
    /// No handler is registered for the message `message` of kind `kind`.
    #[must_use]
    pub fn no_handler(message: &'static str, kind: MessageKind) -> Self {
        DispatchError::NoHandler(Box::new(Unhandled { message, kind }))
    }

    /// `message` was rejected before its handler, for `error`.
    #[must_use]
    pub fn rejected(message: &'static str, error: ValidationError) -> Self {
        DispatchError::Rejected(Box::new(Rejection { message, error }))
    }

    /// The message's name, when the failure is not the handler's own.
    pub fn message(&self) -> Option<&'static str> {
        match self {
            DispatchError::NoHandler(unhandled) => Some(unhandled.message),
            DispatchError::Rejected(rejection) => Some(rejection.message),
            DispatchError::Handler(_) => None,
        }
    }

    /// Why a middleware or behaviour rejected the message, if that is what this is.
    pub fn rejection(&self) -> Option<&ValidationError> {
        match self {
            DispatchError::Rejected(rejection) => Some(&rejection.error),
            _ => None,
        }
    }

    /// Whether the handler ran and failed (rather than the message never reaching one).
    pub fn is_handler_error(&self) -> bool {
        matches!(self, DispatchError::Handler(_))
    }

    /// The handler's error, if that is what this is.
    pub fn into_handler_error(self) -> Option<E> {
        match self {
            DispatchError::Handler(error) => Some(error),
            _ => None,
        }
    }

    /// The same failure with the handler's error converted by `f`, so the errors of
    /// different messages compose into one type.
    ///
    /// ```
    /// use patternkit::cqrs::{DispatchError, MessageKind};
    ///
    /// let error: DispatchError<std::num::ParseIntError> =
    ///     DispatchError::no_handler("Parse", MessageKind::Command);
    /// let error: DispatchError<String> = error.map_handler(|e| e.to_string());
    /// assert_eq!(error.message(), Some("Parse"));
    /// ```
    pub fn map_handler<F>(self, f: impl FnOnce(E) -> F) -> DispatchError<F> {
        match self {
            DispatchError::NoHandler(unhandled) => DispatchError::NoHandler(unhandled),
            DispatchError::Rejected(rejection) => DispatchError::Rejected(rejection),
            DispatchError::Handler(error) => DispatchError::Handler(f(error)),
        }
    }

    /// The same failure with the handler's error converted by `From`, for `?` across
    /// messages whose errors convert into one another.
    pub fn convert<F: From<E>>(self) -> DispatchError<F> {
        self.map_handler(F::from)
    }
}

impl DispatchError<core::convert::Infallible> {
    /// A failure of a message whose handler cannot fail, as the failure of any other: the
    /// `Handler` case cannot occur. `Into` cannot do this in general, as it would overlap
    /// with `From<T> for T`.
    ///
    /// ```
    /// use patternkit::cqrs::{DispatchError, MessageKind};
    /// use std::convert::Infallible;
    ///
    /// fn both() -> Result<(), DispatchError<std::io::Error>> {
    ///     let infallible: Result<(), DispatchError<Infallible>> = Ok(());
    ///     infallible.map_err(DispatchError::widen)?;
    ///     Ok(())
    /// }
    /// assert!(both().is_ok());
    /// ```
    #[must_use]
    pub fn widen<F>(self) -> DispatchError<F> {
        self.map_handler(|never| match never {})
    }
}

impl<E: fmt::Display> fmt::Display for DispatchError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::NoHandler(unhandled) => write!(
                f,
                "no handler is registered for the {} `{}`",
                unhandled.kind, unhandled.message
            ),
            DispatchError::Rejected(rejection) => write!(
                f,
                "`{}` was rejected before reaching its handler: {}",
                rejection.message, rejection.error
            ),
            DispatchError::Handler(error) => error.fmt(f),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for DispatchError<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            DispatchError::Rejected(rejection) => Some(&rejection.error),
            DispatchError::Handler(error) => Some(error),
            DispatchError::NoHandler(_) => None,
        }
    }
}

/// A handler could not be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistrationError {
    /// The command or query has a handler already; it keeps that one.
    Duplicate {
        /// The message type's name.
        message: &'static str,
        /// Command or query.
        kind: MessageKind,
    },
}

impl fmt::Display for RegistrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistrationError::Duplicate { message, kind } => write!(
                f,
                "the {kind} `{message}` already has a handler; a {kind} has exactly one"
            ),
        }
    }
}

impl core::error::Error for RegistrationError {}

/// Every registration [`RegistryBuilder::build`](super::RegistryBuilder::build) refused, in
/// the order they were made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationErrors(pub Vec<RegistrationError>);

impl fmt::Display for RegistrationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl core::error::Error for RegistrationErrors {}
