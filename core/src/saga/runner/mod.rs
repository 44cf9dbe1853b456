//! Runs a saga against its log: every start, completion and failure of a step and of a
//! compensation is written before the next action, so a run can be resumed after a crash
//! from where its log says it stands.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod attempt;

use super::definition::{Saga, StepError, StepKind};
use super::log::{Finish, Run};
use super::outcome::{SagaError, SagaOutcome, StuckSaga};
use super::policy::RetryPolicy;
use super::record::SagaEvent;
use crate::store::{Journal, KeyState};

/// Runs the sagas of one type against a [`Journal`].
///
/// # Example
///
/// ```
/// use patternkit::saga::{RetryPolicy, SagaRunner, StepContext, saga};
/// use patternkit::store::MemoryJournal;
/// use patternkit::cqrs::block_on;
///
/// struct Greet;
///
/// #[saga(input = String)]
/// impl Greet {
///     #[step]
///     async fn hello(&self, input: &String) -> Result<String, std::io::Error> {
///         Ok(format!("hello, {input}"))
///     }
/// }
///
/// let runner = SagaRunner::new(Greet, MemoryJournal::new()).policy(RetryPolicy::immediate());
/// let outcome = block_on(runner.start("1", "world".to_owned()))?;
/// assert!(outcome.is_completed());
/// # Ok::<(), patternkit::saga::SagaError>(())
/// ```
pub struct SagaRunner<S, J> {
    saga: S,
    journal: J,
    policy: RetryPolicy,
    owner: String,
    lease: Duration,
    run_twice: bool,
    stream: String,
}

/// How a step's attempts ended.
enum Step {
    Done,
    Failed(StepError),
}

impl<S: Saga, J: Journal> SagaRunner<S, J> {
    /// A runner for `saga`, logging to `journal`, with the default [`RetryPolicy`].
    pub fn new(saga: S, journal: J) -> Self {
        static RUNNERS: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        SagaRunner {
            saga,
            journal,
            policy: RetryPolicy::default(),
            owner: format!(
                "{}-{nanos:x}-{}",
                std::process::id(),
                RUNNERS.fetch_add(1, Ordering::Relaxed)
            ),
            lease: Duration::from_secs(60),
            run_twice: false,
            stream: format!("saga:{}", S::NAME),
        }
    }

    /// Retries, backoff and timeouts.
    #[must_use]
    pub fn policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How long a run is reserved for this runner after each step starts; another runner
    /// (another process sharing the log) takes over a run only once its lease expired. Keep
    /// it longer than a step's timeout.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Runs every action and every compensation twice in a row, the second result counting,
    /// as a crash and a resume at the worst moment would: a test that passes under it shows
    /// the steps are idempotent.
    #[must_use]
    pub fn run_twice(mut self, on: bool) -> Self {
        self.run_twice = on;
        self
    }

    /// The saga.
    pub fn saga(&self) -> &S {
        &self.saga
    }

    /// The journal.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// Starts run `id` with `input` and drives it until it comes to rest.
    ///
    /// # Errors
    ///
    /// [`SagaError::AlreadyStarted`] for an id used before; [`SagaError::Store`] when the log
    /// fails (the run can be resumed later); [`SagaError::Busy`] when another runner holds
    /// the id.
    pub async fn start(&self, id: &str, input: S::Input) -> Result<SagaOutcome, SagaError> {
        let input = serde_json::to_string(&input).map_err(|error| SagaError::Input {
            id: id.to_owned(),
            reason: error.to_string(),
        })?;
        self.take_lease(id).await?;
        if !self.journal.read(&self.stream, id).await?.is_empty() {
            return Err(SagaError::AlreadyStarted { id: id.to_owned() });
        }
        self.append(
            id,
            &SagaEvent::Started {
                input: input.clone(),
            },
        )
        .await?;
        let mut run = Run::new(S::STEPS.len(), input);
        run.leased_at = Some(std::time::Instant::now());
        self.drive(id, &mut run).await
    }

    /// Drives run `id` on from where its log says it stands: forward, or compensating. A run
    /// that already came to rest reports how.
    ///
    /// # Errors
    ///
    /// As [`SagaRunner::start`]; [`SagaError::NotFound`] for an unknown id and
    /// [`SagaError::Corrupt`] for a log that cannot be read back.
    pub async fn resume(&self, id: &str) -> Result<SagaOutcome, SagaError> {
        self.take_lease(id).await?;
        let mut run = self.load(id).await?;
        run.leased_at = Some(std::time::Instant::now());
        self.drive(id, &mut run).await
    }

    /// Resumes every unfinished run, oldest first: what a process does when it starts.
    ///
    /// # Errors
    ///
    /// [`SagaError::Store`] when the runs cannot be listed. Each run's own result is in the
    /// list; a run held by another runner is reported [`SagaError::Busy`].
    pub async fn resume_all(
        &self,
    ) -> Result<Vec<(String, Result<SagaOutcome, SagaError>)>, SagaError> {
        let ids = self.journal.keys(&self.stream, KeyState::Open).await?;
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let outcome = self.resume(&id).await;
            results.push((id, outcome));
        }
        Ok(results)
    }

    /// The runs that came to rest as stuck, with what keeps them there.
    ///
    /// # Errors
    ///
    /// [`SagaError::Store`] or [`SagaError::Corrupt`].
    pub async fn stuck(&self) -> Result<Vec<StuckSaga>, SagaError> {
        let ids = self.journal.keys(&self.stream, KeyState::Stuck).await?;
        let mut stuck = Vec::with_capacity(ids.len());
        for id in ids {
            let run = self.load(&id).await?;
            let (failed, errors) = run.stuck_report(S::STEPS);
            stuck.push(StuckSaga {
                id,
                failed_step: failed.to_owned(),
                errors: errors
                    .into_iter()
                    .map(|(step, e)| (step.to_owned(), e))
                    .collect(),
            });
        }
        Ok(stuck)
    }

    /// Gives a stuck run another round of attempts (once its cause is fixed).
    ///
    /// # Errors
    ///
    /// [`SagaError::NotStuck`] for a run that is not stuck; otherwise as
    /// [`SagaRunner::resume`].
    pub async fn retry(&self, id: &str) -> Result<SagaOutcome, SagaError> {
        self.take_lease(id).await?;
        let run = self.load(id).await?;
        if run.finish != Some(Finish::Stuck) {
            return Err(SagaError::NotStuck { id: id.to_owned() });
        }
        self.append(id, &SagaEvent::Retried).await?;
        self.journal
            .set_state(&self.stream, id, KeyState::Open)
            .await?;
        let mut run = self.load(id).await?;
        self.drive(id, &mut run).await
    }

    /// Closes a stuck run that a person dealt with, noting what they did.
    ///
    /// # Errors
    ///
    /// [`SagaError::NotStuck`] for a run that is not stuck; [`SagaError::Store`].
    pub async fn resolve(&self, id: &str, note: &str) -> Result<(), SagaError> {
        self.take_lease(id).await?;
        let run = self.load(id).await?;
        if run.finish != Some(Finish::Stuck) {
            return Err(SagaError::NotStuck { id: id.to_owned() });
        }
        self.append(
            id,
            &SagaEvent::Resolved {
                note: note.to_owned(),
            },
        )
        .await?;
        self.journal
            .set_state(&self.stream, id, KeyState::Closed)
            .await?;
        self.journal.release(&self.stream, id, &self.owner).await?;
        Ok(())
    }

    /// Every event of run `id`, oldest first.
    ///
    /// # Errors
    ///
    /// [`SagaError::Store`], or [`SagaError::Corrupt`] naming the damaged entry.
    pub async fn history(&self, id: &str) -> Result<Vec<SagaEvent>, SagaError> {
        let entries = self.journal.read(&self.stream, id).await?;
        entries
            .iter()
            .enumerate()
            .map(|(at, text)| {
                SagaEvent::decode(text).map_err(|reason| SagaError::Corrupt {
                    id: id.to_owned(),
                    reason: format!("entry {}: {reason}", at + 1),
                })
            })
            .collect()
    }

    async fn load(&self, id: &str) -> Result<Run, SagaError> {
        let entries = self.journal.read(&self.stream, id).await?;
        Run::replay(id, S::STEPS, &entries)
    }

    async fn take_lease(&self, id: &str) -> Result<(), SagaError> {
        if self
            .journal
            .lease(&self.stream, id, &self.owner, self.lease)
            .await?
        {
            Ok(())
        } else {
            Err(SagaError::Busy { id: id.to_owned() })
        }
    }

    async fn append(&self, id: &str, event: &SagaEvent) -> Result<(), SagaError> {
        self.journal
            .append(&self.stream, id, &event.encode())
            .await
            .map_err(SagaError::from)
    }

    async fn finish(&self, id: &str, event: SagaEvent, state: KeyState) -> Result<(), SagaError> {
        self.append(id, &event).await?;
        self.journal.set_state(&self.stream, id, state).await?;
        self.journal.release(&self.stream, id, &self.owner).await?;
        Ok(())
    }

    async fn drive(&self, id: &str, run: &mut Run) -> Result<SagaOutcome, SagaError> {
        if let Some(finish) = run.finish {
            return Ok(Self::rested(run, finish));
        }
        let input: S::Input =
            serde_json::from_str(&run.input).map_err(|error| SagaError::Corrupt {
                id: id.to_owned(),
                reason: format!("its input cannot be read back: {error}"),
            })?;
        if run.compensating.is_none() {
            let stuck = match run.stuck_forward.take() {
                Some((step, error)) => Some((step, StepError::logged(error))),
                None => self.forward(id, &input, run).await?,
            };
            if let Some((step, error)) = stuck {
                self.finish(id, SagaEvent::Stuck, KeyState::Stuck).await?;
                return Ok(SagaOutcome::Stuck {
                    failed_step: S::STEPS[step].name,
                    errors: vec![(S::STEPS[step].name, error)],
                });
            }
            if run.compensating.is_none() {
                self.finish(id, SagaEvent::Completed, KeyState::Closed)
                    .await?;
                return Ok(SagaOutcome::Completed);
            }
        }
        self.backward(id, &input, run).await
    }

    /// Runs the remaining steps in order. `Some` when a retriable step ran out of attempts;
    /// `run.compensating` is set when another step did.
    async fn forward(
        &self,
        id: &str,
        input: &S::Input,
        run: &mut Run,
    ) -> Result<Option<(usize, StepError)>, SagaError> {
        for step in 0..S::STEPS.len() {
            if run.completed[step] {
                continue;
            }
            if let Step::Failed(error) = self.run_step(id, step, input, run, false).await? {
                if S::STEPS[step].kind == StepKind::Retriable {
                    return Ok(Some((step, error)));
                }
                run.compensating = Some((step, error.message().to_owned()));
                run.live_error = Some(error);
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// Undoes the completed steps before the failed one, last first; a compensation that
    /// keeps failing is noted and the others still run.
    async fn backward(
        &self,
        id: &str,
        input: &S::Input,
        run: &mut Run,
    ) -> Result<SagaOutcome, SagaError> {
        let (failed, message) = run.compensating.clone().unwrap_or((0, String::new()));
        let mut errors: Vec<(&'static str, StepError)> = Vec::new();
        for step in (0..failed).rev() {
            let info = &S::STEPS[step];
            if !run.completed[step] || info.compensation.is_none() || run.compensated[step] {
                continue;
            }
            if let Some(error) = run.undo_failed[step].take() {
                errors.push((info.name, StepError::logged(error)));
                continue;
            }
            if let Step::Failed(error) = self.run_step(id, step, input, run, true).await? {
                errors.push((info.name, error));
            }
        }
        let error = run
            .live_error
            .take()
            .unwrap_or_else(|| StepError::logged(message));
        let failed_step = S::STEPS[failed].name;
        if errors.is_empty() {
            self.finish(id, SagaEvent::Compensated, KeyState::Closed)
                .await?;
            Ok(SagaOutcome::Compensated { failed_step, error })
        } else {
            self.finish(id, SagaEvent::Stuck, KeyState::Stuck).await?;
            Ok(SagaOutcome::Stuck {
                failed_step,
                errors,
            })
        }
    }

    /// The outcome of a run that came to rest earlier, as its log tells it.
    fn rested(run: &Run, finish: Finish) -> SagaOutcome {
        match finish {
            Finish::Completed | Finish::Resolved => SagaOutcome::Completed,
            Finish::Compensated => {
                let (step, error) = run.compensating.clone().unwrap_or((0, String::new()));
                SagaOutcome::Compensated {
                    failed_step: S::STEPS[step].name,
                    error: StepError::logged(error),
                }
            }
            Finish::Stuck => {
                let (failed_step, errors) = run.stuck_report(S::STEPS);
                SagaOutcome::Stuck {
                    failed_step,
                    errors: errors
                        .into_iter()
                        .map(|(step, e)| (step, StepError::logged(e)))
                        .collect(),
                }
            }
        }
    }
}
