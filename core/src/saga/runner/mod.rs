//! Runs a saga against its log: every start, completion and failure of a step and of a
//! compensation is written before the next action, so a run can be resumed after a crash
//! from where its log says it stands.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod attempt;
mod claim;
mod lease;

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
    claims: claim::Claims,
}

/// How a step's attempts ended.
enum Step {
    Done,
    Failed(StepError),
    /// Another runner worked on the run while this one's lease had lapsed: it is read back.
    Moved,
}

/// How driving a run forward ended.
enum Forward {
    /// Every step completed, or one failed and the run compensates (`run.compensating`).
    Done,
    /// A retriable step ran out of attempts.
    Stuck(usize, StepError),
    Moved,
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
            claims: claim::Claims::default(),
        }
    }

    /// Retries, backoff and timeouts.
    #[must_use]
    pub fn policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How long a run stays reserved for this runner without a renewal (60 s by default).
    /// The lease is renewed every third of it while the runner works on the run, a long step
    /// or a long wait between attempts included, so another runner (another process sharing
    /// the log) takes the run over only once this one stopped, or stalled for longer than the
    /// lease. A runner whose lease lapsed, and whose run another runner wrote to meanwhile,
    /// drops what it was doing and reads the run back from the log.
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
    /// the id, or another call on this runner is running it: one runner drives a run from one
    /// call at a time.
    pub async fn start(&self, id: &str, input: S::Input) -> Result<SagaOutcome, SagaError> {
        let input = serde_json::to_string(&input).map_err(|error| SagaError::Input {
            id: id.to_owned(),
            reason: error.to_string(),
        })?;
        let _claim = self.claim(id).await?;
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
        run.logged = 1;
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
        let _claim = self.claim(id).await?;
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
        let _claim = self.claim(id).await?;
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
        let _claim = self.claim(id).await?;
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

    /// Claims run `id` for one call: in this runner, then its lease in the journal.
    async fn claim(&self, id: &str) -> Result<claim::Claim<'_>, SagaError> {
        let claim = self.claims.claim(id)?;
        self.take_lease(id).await?;
        Ok(claim)
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

    /// Appends `event` to the log of the run this runner drives.
    async fn log(&self, id: &str, run: &mut Run, event: &SagaEvent) -> Result<(), SagaError> {
        self.append(id, event).await?;
        run.logged += 1;
        Ok(())
    }

    /// Brings the run to rest; `false` when it moved on elsewhere first.
    async fn finish(
        &self,
        id: &str,
        run: &mut Run,
        event: SagaEvent,
        state: KeyState,
    ) -> Result<bool, SagaError> {
        if let lease::Kept::Moved = self.keep_lease(id, run).await? {
            return Ok(false);
        }
        self.log(id, run, &event).await?;
        self.journal.set_state(&self.stream, id, state).await?;
        self.journal.release(&self.stream, id, &self.owner).await?;
        Ok(true)
    }

    /// Drives the run until it comes to rest, reading it back from its log whenever another
    /// runner moved it on while this one's lease had lapsed.
    async fn drive(&self, id: &str, run: &mut Run) -> Result<SagaOutcome, SagaError> {
        loop {
            if let Some(outcome) = self.drive_once(id, run).await? {
                return Ok(outcome);
            }
            let leased_at = run.leased_at;
            *run = self.load(id).await?;
            run.leased_at = leased_at;
        }
    }

    /// `None` when the run moved on elsewhere and must be read back.
    async fn drive_once(&self, id: &str, run: &mut Run) -> Result<Option<SagaOutcome>, SagaError> {
        if let Some(finish) = run.finish {
            return Ok(Some(Self::rested(run, finish)));
        }
        let input: S::Input =
            serde_json::from_str(&run.input).map_err(|error| SagaError::Corrupt {
                id: id.to_owned(),
                reason: format!("its input cannot be read back: {error}"),
            })?;
        if run.compensating.is_none() {
            let forward = match run.stuck_forward.take() {
                Some((step, error)) => Forward::Stuck(step, StepError::logged(error)),
                None => self.forward(id, &input, run).await?,
            };
            match forward {
                Forward::Moved => return Ok(None),
                Forward::Stuck(step, error) => {
                    if !self
                        .finish(id, run, SagaEvent::Stuck, KeyState::Stuck)
                        .await?
                    {
                        return Ok(None);
                    }
                    return Ok(Some(SagaOutcome::Stuck {
                        failed_step: S::STEPS[step].name,
                        errors: vec![(S::STEPS[step].name, error)],
                    }));
                }
                Forward::Done if run.compensating.is_none() => {
                    if !self
                        .finish(id, run, SagaEvent::Completed, KeyState::Closed)
                        .await?
                    {
                        return Ok(None);
                    }
                    return Ok(Some(SagaOutcome::Completed));
                }
                Forward::Done => {}
            }
        }
        self.backward(id, &input, run).await
    }

    /// Runs the remaining steps in order; `run.compensating` is set when a step other than
    /// a retriable one ran out of attempts.
    async fn forward(
        &self,
        id: &str,
        input: &S::Input,
        run: &mut Run,
    ) -> Result<Forward, SagaError> {
        for step in 0..S::STEPS.len() {
            if run.completed[step] {
                continue;
            }
            match self.run_step(id, step, input, run, false).await? {
                Step::Done => {}
                Step::Moved => return Ok(Forward::Moved),
                Step::Failed(error) => {
                    if S::STEPS[step].kind == StepKind::Retriable {
                        return Ok(Forward::Stuck(step, error));
                    }
                    run.compensating = Some((step, error.message().to_owned()));
                    run.live_error = Some(error);
                    return Ok(Forward::Done);
                }
            }
        }
        Ok(Forward::Done)
    }

    /// Undoes the completed steps before the failed one, last first; a compensation that
    /// keeps failing is noted and the others still run. `None` when the run moved on
    /// elsewhere.
    async fn backward(
        &self,
        id: &str,
        input: &S::Input,
        run: &mut Run,
    ) -> Result<Option<SagaOutcome>, SagaError> {
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
            match self.run_step(id, step, input, run, true).await? {
                Step::Done => {}
                Step::Moved => return Ok(None),
                Step::Failed(error) => errors.push((info.name, error)),
            }
        }
        let error = run
            .live_error
            .take()
            .unwrap_or_else(|| StepError::logged(message));
        let failed_step = S::STEPS[failed].name;
        if errors.is_empty() {
            if !self
                .finish(id, run, SagaEvent::Compensated, KeyState::Closed)
                .await?
            {
                return Ok(None);
            }
            Ok(Some(SagaOutcome::Compensated { failed_step, error }))
        } else {
            if !self
                .finish(id, run, SagaEvent::Stuck, KeyState::Stuck)
                .await?
            {
                return Ok(None);
            }
            Ok(Some(SagaOutcome::Stuck {
                failed_step,
                errors,
            }))
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
