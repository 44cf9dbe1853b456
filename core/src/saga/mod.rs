//! Sagas: a distributed transaction made of local steps, each undone by a compensating step
//! when a later one fails.
//!
//! `#[saga]` on an impl block makes its `#[step]` methods the steps, in order; a
//! [`SagaRunner`] runs them against a [`Journal`](crate::store::Journal), writing every
//! start, completion and failure before the next action, so that after a crash
//! [`SagaRunner::resume_all`] continues every unfinished run from its log — forward, or
//! compensating.
//!
//! - **Step kinds.** Compensatable steps come first, then at most one pivot (the point of
//!   no return), then retriable steps, which are retried and never compensated.
//! - **Retries** with exponential backoff, jitter and an attempt cap, and a timeout per
//!   attempt ([`RetryPolicy`]).
//! - **Compensation** runs in reverse order, keeps going when one fails, and a run whose undo
//!   cannot complete comes to rest as [`SagaOutcome::Stuck`]: [`SagaRunner::stuck`] lists
//!   them, [`SagaRunner::retry`] tries again, [`SagaRunner::resolve`] closes one dealt with
//!   by hand.
//! - **Idempotency.** Each step has a stable key ([`StepContext::idempotency_key`]) to pass to
//!   the service it calls, so that a step run again after a crash has one effect;
//!   [`SagaRunner::run_twice`] runs every action and undo twice to prove it.
//! - **Leases.** A runner holds a lease on the run it drives, renewed while a step runs and
//!   while a retry waits, so two processes sharing a log never run the same saga at once;
//!   another takes a run over only when its runner stopped or stalled past the lease, and a
//!   runner that stalled reads the run back from the log before it does anything more.

mod context;
pub(crate) mod definition;
mod diagram;
mod log;
mod outcome;
mod policy;
mod record;
mod runner;

pub use context::{Outputs, StepContext};
pub use definition::{Call, ReadsOutput, Saga, StepError, StepFuture, StepInfo, StepKind};
pub use outcome::{SagaError, SagaOutcome, StuckSaga};
pub use policy::RetryPolicy;
pub use record::SagaEvent;
pub use runner::SagaRunner;
