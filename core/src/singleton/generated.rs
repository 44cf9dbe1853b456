//! The static that `#[singleton]` generates: a [`SingletonCell`] that is `Sync` because its
//! type is a [`Singleton`], so a type that cannot be shared between threads is reported once,
//! where it is made a singleton, rather than once more at the static.

use core::ops::Deref;

use super::{Singleton, SingletonCell};

/// The hidden `static` of a `#[singleton]` type. Not for use by hand: declare a
/// [`SingletonCell`] instead.
#[doc(hidden)]
#[repr(transparent)]
pub struct SingletonStatic<T>(SingletonCell<T>);

impl<T> SingletonStatic<T> {
    /// An empty cell; `name` names the singleton in messages.
    #[must_use]
    pub const fn new(name: &'static str) -> Self {
        Self(SingletonCell::new(name))
    }
}

impl<T> Deref for SingletonStatic<T> {
    type Target = SingletonCell<T>;

    #[inline]
    fn deref(&self) -> &SingletonCell<T> {
        &self.0
    }
}

// SAFETY: `Singleton` requires `Send + Sync`, which is exactly what makes the `OnceLock` inside
// `SingletonCell<T>` (and so the cell) `Sync`; this impl only names that condition through the
// trait. A type that is not `Send + Sync` cannot implement `Singleton`, so the static holding
// it does not compile either.
unsafe impl<T: Singleton> Sync for SingletonStatic<T> {}
