use core::convert::Infallible;
use core::fmt;
use std::sync::OnceLock;

use crate::init_lock::{self, Claimed};

/// The storage behind one `#[singleton]` type: a [`OnceLock`] plus the type's name for
/// messages.
///
/// Generated code keeps one of these in a hidden `static`. The methods that read an existing
/// instance are one acquire load and a branch; everything else is on a cold path shared by
/// every singleton of the same type parameter.
///
/// # Example
///
/// The cell can be used by hand where the attribute does not fit:
///
/// ```
/// use patternkit::singleton::SingletonCell;
///
/// static GREETING: SingletonCell<String> = SingletonCell::new("Greeting");
///
/// let first = GREETING.get_or_init(|| "hello".to_owned());
/// assert_eq!(first, "hello");
/// assert!(std::ptr::eq(first, GREETING.get().unwrap()));
/// ```
pub struct SingletonCell<T> {
    value: OnceLock<T>,
    name: &'static str,
}

impl<T> SingletonCell<T> {
    /// An empty cell; `name` is the singleton's name in panic messages and cycle reports.
    #[must_use]
    pub const fn new(name: &'static str) -> Self {
        Self {
            value: OnceLock::new(),
            name,
        }
    }

    /// The singleton's name, as given to [`SingletonCell::new`].
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T: 'static> SingletonCell<T> {
    /// The value if it has been set, without ever setting it.
    #[inline]
    #[must_use]
    pub fn get(&'static self) -> Option<&'static T> {
        #[cfg(feature = "testing")]
        if let Some(value) = super::overrides::find(self) {
            return Some(value);
        }
        self.value.get()
    }

    /// The value, created by `init` if this is the first call.
    ///
    /// `init` runs at most once at a time; when it panics, the cell stays empty and the next
    /// call runs it again.
    ///
    /// # Panics
    ///
    /// When `init` needs this same cell, directly or through other cells (the message names
    /// the cycle), and when `init` itself panics.
    #[inline]
    pub fn get_or_init(&'static self, init: fn() -> T) -> &'static T {
        if let Some(value) = self.get() {
            return value;
        }
        self.initialize_infallible(init);
        // SAFETY: `initialize_infallible` returns only once the value is set (otherwise it
        // panics). Read back as `OnceLock::get_or_init` does: the address is a constant, so
        // both paths end in the same instructions, with no panic path to keep a stack frame
        // for in an accessor that is not inlined.
        unsafe { self.value.get().unwrap_unchecked() }
    }

    /// The value, once some other thread (or an earlier call) has set it: blocks until then
    /// without ever creating it, as [`OnceLock::wait`] does.
    ///
    /// For a singleton created on demand, the first [`get_or_init`](Self::get_or_init)
    /// anywhere ends the wait; for a `manual` one, [`set`](Self::set).
    ///
    /// # Example
    ///
    /// ```
    /// use patternkit::singleton::SingletonCell;
    ///
    /// static PORT: SingletonCell<u16> = SingletonCell::new("Port");
    ///
    /// let reader = std::thread::spawn(|| *PORT.wait());
    /// PORT.set(8080).unwrap();
    /// assert_eq!(reader.join().unwrap(), 8080);
    /// ```
    pub fn wait(&'static self) -> &'static T {
        if let Some(value) = self.get() {
            return value;
        }
        init_lock::global().wait_until(|| self.get().is_some());
        self.get().unwrap_or_else(|| unreachable!())
    }

    /// The value, created by the fallible `init` if this is the first call.
    ///
    /// An error is returned to the caller and not kept: the next call runs `init` again.
    ///
    /// # Errors
    ///
    /// The error `init` returned.
    ///
    /// # Panics
    ///
    /// As [`SingletonCell::get_or_init`].
    #[inline]
    pub fn get_or_try_init<E>(&'static self, init: fn() -> Result<T, E>) -> Result<&'static T, E> {
        match self.get() {
            Some(value) => Ok(value),
            None => self.initialize(init),
        }
    }

    /// Panics with a message naming the singleton and `error`, which its initialiser
    /// returned.
    ///
    /// # Panics
    ///
    /// Always.
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub fn init_failed(&self, error: &dyn fmt::Debug) -> ! {
        panic!(
            "singleton `{}` could not be initialised: {error:?}",
            self.name
        )
    }

    /// The value of a cell that is only ever set through [`SingletonCell::set`].
    ///
    /// # Panics
    ///
    /// When the cell has not been set yet; the message says to call `init` first.
    #[inline]
    pub fn get_or_panic_unset(&'static self) -> &'static T {
        match self.get() {
            Some(value) => value,
            None => not_initialized(self.name),
        }
    }

    /// Sets the value unless it is already set; `Err` gives `value` back when it is.
    ///
    /// # Errors
    ///
    /// `Err(value)` when the cell already holds a value.
    pub fn set(&'static self, value: T) -> Result<&'static T, T> {
        let mut slot = Some(value);
        let stored = self
            .value
            .get_or_init(|| slot.take().unwrap_or_else(|| unreachable!()));
        match slot {
            None => {
                init_lock::global().announce();
                Ok(stored)
            }
            Some(value) => Err(value),
        }
    }

    /// Makes [`SingletonCell::get`] return `value` on the current thread while `body` runs.
    ///
    /// Other threads keep seeing the shared value, so parallel tests can each install their
    /// own. Overrides nest; the innermost wins.
    ///
    /// The stand-in is borrowed for `'static` because the `&'static T` that `get` hands out
    /// inside `body` may be kept after it returns: a `static`, or a value the test chose to
    /// leak. Nothing is allocated or leaked here.
    #[cfg(feature = "testing")]
    pub fn scoped_override<R>(&'static self, value: &'static T, body: impl FnOnce() -> R) -> R {
        super::overrides::with(self, value, body)
    }

    // Takes the bare `fn` pointer, not a closure around it, so that the fast path at every
    // call site does not build the closure just in case.
    #[cold]
    #[inline(never)]
    fn initialize_infallible(&'static self, init: fn() -> T) {
        match self.initialize(|| Ok::<T, Infallible>(init())) {
            Ok(_) => {}
            Err(never) => match never {},
        }
    }

    #[cold]
    #[inline(never)]
    fn initialize<E>(&'static self, init: impl FnOnce() -> Result<T, E>) -> Result<&'static T, E> {
        let key = core::ptr::from_ref(self).addr();
        let registry = init_lock::global();
        let _claim = match registry.claim(key, self.name, || self.value.get().is_some()) {
            Claimed::Mine(claim) => claim,
            Claimed::Done => return Ok(self.value.get().unwrap_or_else(|| unreachable!())),
            Claimed::Cycle(cycle) => cycle_found(&cycle),
        };
        let value = init()?;
        Ok(self.value.get_or_init(move || value))
    }
}

impl<T: fmt::Debug> fmt::Debug for SingletonCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SingletonCell")
            .field("name", &self.name)
            .field("value", &self.value.get())
            .finish()
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn not_initialized(name: &str) -> ! {
    panic!(
        "singleton `{name}` was used before it was given its value: \
         call `{name}::init(value)` first"
    )
}

#[cold]
#[inline(never)]
#[track_caller]
fn cycle_found(cycle: &str) -> ! {
    panic!(
        "singleton initialisation cycle: {cycle}; an initialiser needs, directly or through \
         other singletons, the singleton it is creating: create one of them without the other"
    )
}
