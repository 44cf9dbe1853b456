//! A pipeline around every dispatch, on both buses: each middleware's `before` runs in the
//! declared order (and may reject the message), the handler runs, then each `after` runs in
//! reverse order — the layers of an onion, as in tower or `MediatR`'s pipeline behaviours.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;
#[cfg(feature = "std")]
use std::collections::BTreeMap;
#[cfg(feature = "std")]
use std::sync::{Mutex, PoisonError};

use super::{Message, MessageKind, ValidationError};

/// When a dispatch started: a clock reading with `std`; without it there is no clock, and
/// every dispatch takes no time.
#[derive(Clone, Copy)]
struct Started(#[cfg(feature = "std")] std::time::Instant);

impl Started {
    fn now() -> Self {
        Started(
            #[cfg(feature = "std")]
            std::time::Instant::now(),
        )
    }

    #[cfg_attr(not(feature = "std"), allow(clippy::unused_self))]
    fn elapsed(self) -> Duration {
        #[cfg(feature = "std")]
        return self.0.elapsed();
        #[cfg(not(feature = "std"))]
        Duration::ZERO
    }
}

/// A message on its way to its handler.
pub struct Incoming<'a> {
    name: &'static str,
    kind: MessageKind,
    message: &'a (dyn core::any::Any + Send),
    validate: &'a (dyn Fn() -> Result<(), ValidationError> + 'a),
}

impl Incoming<'_> {
    /// The message type's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Command, query or event.
    #[must_use]
    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    /// The message, if it is an `M`: a middleware for every message can look into the ones
    /// it knows. (A [`Behavior`](super::Behavior) is the typed way to wrap one request.)
    ///
    /// ```
    /// use patternkit::cqrs::{Command, Incoming, Middleware, ValidationError};
    ///
    /// #[derive(Command)]
    /// struct Transfer { cents: u64 }
    ///
    /// struct Limit;
    ///
    /// impl Middleware for Limit {
    ///     fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
    ///         match incoming.message::<Transfer>() {
    ///             Some(transfer) if transfer.cents > 1_000_00 => {
    ///                 Err(ValidationError::new("cents", "is over the limit"))
    ///             }
    ///             _ => Ok(()),
    ///         }
    ///     }
    /// }
    /// ```
    #[must_use]
    pub fn message<M: Message>(&self) -> Option<&M> {
        self.message.downcast_ref()
    }

    /// Runs the message's own [`Validate`](super::Validate) rules, if it has any.
    ///
    /// # Errors
    ///
    /// What is wrong with the message.
    pub fn validate(&self) -> Result<(), ValidationError> {
        (self.validate)()
    }
}

/// How a dispatch ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The handler (or every subscriber) ran and succeeded.
    Handled,
    /// The handler returned an error.
    Failed,
    /// A middleware rejected the message before any handler saw it.
    Rejected,
}

/// A dispatch that has ended.
#[derive(Clone, Copy, Debug)]
pub struct Completed {
    /// The message type's name.
    pub name: &'static str,
    /// Command, query or event.
    pub kind: MessageKind,
    /// How it ended.
    pub outcome: Outcome,
    /// From the first `before` to the end of the handler; zero without the `std` feature,
    /// which has no clock.
    pub elapsed: Duration,
}

/// One layer of the pipeline.
///
/// # Example
///
/// ```
/// use patternkit::cqrs::{Completed, Incoming, Middleware, ValidationError};
///
/// struct DenyDeletes;
///
/// impl Middleware for DenyDeletes {
///     fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
///         if incoming.name().starts_with("Delete") {
///             return Err(ValidationError::new("message", "deletes are switched off"));
///         }
///         Ok(())
///     }
/// }
/// ```
pub trait Middleware: Send + Sync {
    /// Runs before the handler; an error rejects the message.
    ///
    /// # Errors
    ///
    /// Why the message must not reach its handler.
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        let _ = incoming;
        Ok(())
    }

    /// Runs after the handler, or after a later layer rejected the message.
    fn after(&self, completed: &Completed) {
        let _ = completed;
    }
}

impl<M: Middleware + ?Sized> Middleware for Arc<M> {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        (**self).before(incoming)
    }

    fn after(&self, completed: &Completed) {
        (**self).after(completed);
    }
}

/// Middleware in the order they apply.
#[derive(Clone, Default)]
pub struct Pipeline {
    layers: Vec<Arc<dyn Middleware>>,
}

impl Pipeline {
    /// An empty pipeline.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `middleware` inside the ones added before it.
    #[must_use]
    pub fn with(mut self, middleware: impl Middleware + 'static) -> Self {
        self.layers.push(Arc::new(middleware));
        self
    }

    /// How many layers there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.layers.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Runs every `before` for `message`; on a rejection, the `after` of the layers already
    /// passed, and the error.
    ///
    /// # Errors
    ///
    /// The rejection.
    pub fn enter<M: Message>(&self, message: &M) -> Result<Entered<'_>, ValidationError> {
        let started = Started::now();
        let validate = || message.validate();
        let incoming = Incoming {
            name: M::NAME,
            kind: M::KIND,
            message,
            validate: &validate,
        };
        for (index, layer) in self.layers.iter().enumerate() {
            if let Err(error) = layer.before(&incoming) {
                let entered = Entered {
                    pipeline: self,
                    passed: index,
                    name: M::NAME,
                    kind: M::KIND,
                    started,
                };
                entered.leave(Outcome::Rejected);
                return Err(error);
            }
        }
        Ok(Entered {
            pipeline: self,
            passed: self.layers.len(),
            name: M::NAME,
            kind: M::KIND,
            started,
        })
    }
}

/// A dispatch inside the pipeline; [`Entered::leave`] runs the `after`s.
pub struct Entered<'a> {
    pipeline: &'a Pipeline,
    passed: usize,
    name: &'static str,
    kind: MessageKind,
    started: Started,
}

impl Entered<'_> {
    /// Runs `after` of every layer entered, innermost first.
    pub fn leave(self, outcome: Outcome) {
        let completed = Completed {
            name: self.name,
            kind: self.kind,
            outcome,
            elapsed: self.started.elapsed(),
        };
        for layer in self.pipeline.layers[..self.passed].iter().rev() {
            layer.after(&completed);
        }
    }
}

/// Rejects every message whose [`Validate`](super::Validate) rules fail.
#[derive(Clone, Copy, Debug, Default)]
pub struct Validation;

impl Middleware for Validation {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        incoming.validate()
    }
}

/// How often each message type was dispatched, and how long it took.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Dispatches.
    pub count: u64,
    /// Their total time.
    pub total: Duration,
    /// The longest one.
    pub max: Duration,
}

/// Records [`Timings`] per message type (feature `std`).
#[cfg(feature = "std")]
#[derive(Debug, Default)]
pub struct Timing {
    timings: Mutex<BTreeMap<&'static str, Timings>>,
}

#[cfg(feature = "std")]
impl Timing {
    /// A recorder with nothing recorded.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// What was recorded, by message name.
    #[must_use]
    pub fn snapshot(&self) -> BTreeMap<&'static str, Timings> {
        self.timings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(feature = "std")]
impl Middleware for Timing {
    fn after(&self, completed: &Completed) {
        let mut timings = self.timings.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = timings.entry(completed.name).or_default();
        entry.count += 1;
        entry.total += completed.elapsed;
        entry.max = entry.max.max(completed.elapsed);
    }
}

/// Logs each dispatch through the `log` facade: its start at `debug`, its end at `info`
/// (or `warn` when it failed or was rejected). Feature `log`.
#[cfg(feature = "log")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Logging;

#[cfg(feature = "log")]
impl Middleware for Logging {
    fn before(&self, incoming: &Incoming<'_>) -> Result<(), ValidationError> {
        log::debug!(target: "patternkit::cqrs", "dispatching {} `{}`", incoming.kind(), incoming.name());
        Ok(())
    }

    fn after(&self, completed: &Completed) {
        let level = match completed.outcome {
            Outcome::Handled => log::Level::Info,
            Outcome::Failed | Outcome::Rejected => log::Level::Warn,
        };
        log::log!(
            target: "patternkit::cqrs",
            level,
            "{} `{}`: {:?} in {:?}",
            completed.kind,
            completed.name,
            completed.outcome,
            completed.elapsed
        );
    }
}
