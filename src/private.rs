//! What the generated code names, and nothing else. Not part of the public API: anything here
//! may change in any release.

pub use alloc::boxed::Box;
pub use alloc::sync::Arc;
pub use alloc::vec;

#[cfg(feature = "std")]
pub use patternkit_core::Singleton;
#[cfg(feature = "std")]
pub use patternkit_core::singleton::{SingletonCell, SingletonStatic};

/// The error `try_instance()` returns when `#[singleton(try_init = ..)]` names no `error`.
pub type BoxError = Box<dyn core::error::Error + Send + Sync + 'static>;

/// Converts the initialiser's error for a `try_instance()` without a named `error` type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned as a boxed error from `try_instance()`",
    label = "the initialiser returns `Result<_, {Self}>`",
    note = "add `error = {Self}` to the attribute, as in `#[singleton(try_init = .., error = {Self})]`, \
            to return the error as it is"
)]
pub trait IntoBoxError {
    fn into_box_error(self) -> BoxError;
}

impl<E: Into<BoxError>> IntoBoxError for E {
    #[inline]
    fn into_box_error(self) -> BoxError {
        self.into()
    }
}

/// Creates the instance of a `#[singleton]` without options.
#[diagnostic::on_unimplemented(
    message = "`#[singleton]` cannot create `{Self}`: it does not implement `Default`",
    label = "`{Self}` has no `Default` implementation",
    note = "derive or implement `Default` for `{Self}`, or name a constructor with \
            `#[singleton(init = path)]`"
)]
pub trait SingletonDefault: Sized {
    fn singleton_default() -> Self;
}

impl<T: Default> SingletonDefault for T {
    #[inline]
    fn singleton_default() -> Self {
        T::default()
    }
}

pub use patternkit_core::__private::factory::{short_word, short_word_is, word_at, word_at_is};
pub use patternkit_core::{Factory, FactoryKind, FactoryNames, UnknownKind};

/// Builds a field of a `#[derive(Factory)]` variant that has no `with` constructor.
#[diagnostic::on_unimplemented(
    message = "`#[derive(Factory)]` cannot build a field of type `{Self}`: it does not implement `Default`",
    label = "`{Self}` has no `Default` implementation",
    note = "implement `Default` for `{Self}`, or name a constructor with `#[factory(with = path)]` \
            on the field (or on its variant when it is the only field)"
)]
pub trait FactoryField: Sized {
    fn factory_default() -> Self;
}

impl<T: Default> FactoryField for T {
    #[inline]
    fn factory_default() -> Self {
        T::default()
    }
}

pub use patternkit_core::state_machine::{FireError, KeepsHistory, MachineOutput};
pub use patternkit_core::{
    Fired, InvalidTransition, MachineTable, Rejection, StateMachine, TransitionInfo,
};

pub use patternkit_core::__private::{InitialData, MachineLog, MachineLogger, StateData, next_row};

/// The CQRS runtime, with the return-type check only generated code names.
pub mod cqrs {
    pub use patternkit_core::__private::cqrs::*;
    pub use patternkit_core::cqrs::*;
}

/// The DI runtime, with the graph check only generated code names.
pub mod di {
    pub use patternkit_core::__private::di::*;
    pub use patternkit_core::di::*;

    /// The value of a field whose `#[inject(..)]` has a mistake, or of a type that is not a
    /// struct. The mistake is a compile error of its own, so this never runs; it only keeps
    /// the expansion whole.
    #[must_use]
    pub fn unread<T>() -> T {
        unreachable!("a value with a mistake in its `#[derive(Inject)]` is never built")
    }
}

/// The saga runtime, with the helpers only generated code names.
#[cfg(feature = "saga")]
pub mod saga {
    pub use patternkit_core::__private::saga::*;
    pub use patternkit_core::saga::*;
}
