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

/// Why a command or query did not produce its output.
#[derive(Debug, PartialEq, Eq)]
pub enum DispatchError<E> {
    /// No handler is registered for the message (runtime registry only: the static bus
    /// does not compile without one).
    NoHandler {
        /// The message type's name.
        message: &'static str,
        /// Command or query.
        kind: MessageKind,
    },
    /// A middleware rejected the message; its handler never saw it.
    Rejected {
        /// The message type's name.
        message: &'static str,
        /// Why.
        error: ValidationError,
    },
    /// The handler ran and returned this error.
    Handler(E),
}

impl<E> DispatchError<E> {
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
    /// let error: DispatchError<std::num::ParseIntError> = DispatchError::NoHandler {
    ///     message: "Parse",
    ///     kind: MessageKind::Command,
    /// };
    /// let error: DispatchError<String> = error.map_handler(|e| e.to_string());
    /// assert!(matches!(error, DispatchError::NoHandler { message: "Parse", .. }));
    /// ```
    pub fn map_handler<F>(self, f: impl FnOnce(E) -> F) -> DispatchError<F> {
        match self {
            DispatchError::NoHandler { message, kind } => {
                DispatchError::NoHandler { message, kind }
            }
            DispatchError::Rejected { message, error } => {
                DispatchError::Rejected { message, error }
            }
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
            DispatchError::NoHandler { message, kind } => {
                write!(f, "no handler is registered for the {kind} `{message}`")
            }
            DispatchError::Rejected { message, error } => {
                write!(
                    f,
                    "`{message}` was rejected before reaching its handler: {error}"
                )
            }
            DispatchError::Handler(error) => error.fmt(f),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for DispatchError<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            DispatchError::Rejected { error, .. } => Some(error),
            DispatchError::Handler(error) => Some(error),
            DispatchError::NoHandler { .. } => None,
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
