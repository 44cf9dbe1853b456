//! What `#[saga]` generates: the steps as data, and a way to call each step and its undo.

use core::any::Any;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::{Outputs, StepContext};

/// Where a step stands relative to the saga's point of no return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Before the pivot: undone by its compensation when a later step fails.
    Compensatable,
    /// The point of no return: once it completes, the saga only goes forward. When it
    /// fails, the steps before it are compensated.
    Pivot,
    /// After the pivot: retried until it completes, never compensated.
    Retriable,
}

/// One step of a saga, as data: for the runner, the log and the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepInfo {
    /// The step's method name; it names the step in the log, so renaming a step of sagas
    /// that may still be running needs care.
    pub name: &'static str,
    /// Compensatable, pivot or retriable.
    pub kind: StepKind,
    /// The method that undoes it, for a compensatable step that has one.
    pub compensation: Option<&'static str>,
    /// How many times it is tried before it counts as failed, when not the policy's.
    pub attempts: Option<u32>,
    /// How long one attempt may take, when not the policy's.
    pub timeout: Option<Duration>,
}

/// A step's or an undo's failure: the error it returned, typed, and its message.
pub struct StepError {
    message: String,
    error: Option<Box<dyn Any + Send + Sync>>,
    timed_out: bool,
}

impl StepError {
    /// The failure of a step that returned `error`.
    pub fn new<E: fmt::Display + Send + Sync + 'static>(error: E) -> Self {
        StepError {
            message: error.to_string(),
            error: Some(Box::new(error)),
            timed_out: false,
        }
    }

    /// A failure known only by its message: one read back from the log after a restart.
    #[must_use]
    pub fn logged(message: String) -> Self {
        StepError {
            message,
            error: None,
            timed_out: false,
        }
    }

    pub(crate) fn timed_out(after: Duration) -> Self {
        StepError {
            message: format!("timed out after {after:?}"),
            error: None,
            timed_out: true,
        }
    }

    /// The error the step returned, if it is an `E` and this process saw it happen.
    #[must_use]
    pub fn error<E: 'static>(&self) -> Option<&E> {
        self.error.as_ref()?.downcast_ref()
    }

    /// What the error said.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the attempt was cut short by its timeout.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        self.timed_out
    }
}

impl fmt::Debug for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StepError")
            .field("message", &self.message)
            .field("timed_out", &self.timed_out)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StepError {}

/// A step's or an undo's future: the step's output, serialised, or its failure.
pub type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<String, StepError>> + Send + 'a>>;

/// What a step is called with: its context, the saga's input, and the outputs of the steps
/// before it.
pub struct Call<'a, I> {
    /// The saga id, the step, the attempt and the idempotency key.
    pub context: &'a StepContext,
    /// The saga's input.
    pub input: &'a I,
    /// The outputs of the completed steps.
    pub outputs: &'a Outputs,
}

/// A saga: steps run in order, each undone by its compensation when a later step fails.
/// `#[saga]` implements it for an impl block whose methods are the steps.
pub trait Saga: Send + Sync {
    /// The saga's name: the stream it is logged under.
    const NAME: &'static str;
    /// The steps, in order.
    const STEPS: &'static [StepInfo];
    /// What a run starts from, kept in the log so a resumed run has it.
    type Input: Serialize + DeserializeOwned + Send + Sync;

    /// Runs step `step`.
    fn action<'a>(&'a self, step: usize, call: Call<'a, Self::Input>) -> StepFuture<'a>;

    /// Runs the compensation of step `step` (only called for steps that have one).
    fn compensation<'a>(&'a self, step: usize, call: Call<'a, Self::Input>) -> StepFuture<'a>;

    /// The saga as a Mermaid flowchart: the steps in order, each compensation beside its
    /// step.
    #[must_use]
    fn to_mermaid() -> String {
        super::diagram::mermaid(Self::NAME, Self::STEPS)
    }
}

/// Serialises a step's output for the log.
///
/// # Errors
///
/// The serialiser's message, when the output cannot be written as JSON.
pub fn encode_output<T: Serialize>(output: &T) -> Result<String, StepError> {
    serde_json::to_string(output)
        .map_err(|error| StepError::logged(format!("its output cannot be logged: {error}")))
}

/// The future of a step index the saga does not have: only reached by a caller that passes
/// an index outside [`Saga::STEPS`].
#[must_use]
pub fn no_such_step<'a>(step: usize) -> StepFuture<'a> {
    Box::pin(core::future::ready(Err(StepError::logged(format!(
        "this saga has no step {step}"
    )))))
}

/// A parameter of type `Self` can read the output of a step that returns `P`: only the same
/// type. `#[saga]` checks every parameter named after a step against it, so a mismatch is a
/// compile error at the parameter rather than a failed read from the log.
#[diagnostic::on_unimplemented(
    message = "this parameter reads `{Self}`, but the step it is named after returns `{P}`",
    label = "not the output type of that step",
    note = "give the parameter the step's output type, `{P}` (or `&{P}`)"
)]
pub trait ReadsOutput<P> {
    /// The output, borrowed as this type.
    fn read(output: &P) -> &Self;
}

impl<T> ReadsOutput<T> for T {
    fn read(output: &T) -> &T {
        output
    }
}

/// `&str` reads a `String` output, as it would borrow one.
impl ReadsOutput<String> for str {
    fn read(output: &String) -> &str {
        output
    }
}

/// `&[T]` reads a `Vec<T>` output, as it would borrow one.
impl<T> ReadsOutput<Vec<T>> for [T] {
    fn read(output: &Vec<T>) -> &[T] {
        output
    }
}

/// Checks at compile time that a parameter taken by value reads what its step returns.
pub const fn same_output<Read: ReadsOutput<Produced>, Produced>() {}

/// A step's output lent to a parameter that borrows it, checked like [`same_output`].
pub fn lend<Read: ReadsOutput<Produced> + ?Sized, Produced>(output: &Produced) -> &Read {
    Read::read(output)
}
