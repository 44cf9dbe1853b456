//! A run's log read back into where it stands.

use super::definition::{StepInfo, StepKind};
use super::outcome::SagaError;
use super::record::SagaEvent;

/// How a run ended, once it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Finish {
    Completed,
    Compensated,
    Stuck,
    Resolved,
}

/// Where a run stands, rebuilt from its log.
pub(super) struct Run {
    pub(super) input: String,
    pub(super) completed: Vec<bool>,
    pub(super) outputs: Vec<Option<String>>,
    pub(super) attempts: Vec<u32>,
    pub(super) undo_attempts: Vec<u32>,
    /// Attempts made before the current round: a retry of a stuck run gives each step a
    /// new round of attempts, its attempt numbers going on counting.
    pub(super) attempt_base: Vec<u32>,
    pub(super) undo_attempt_base: Vec<u32>,
    pub(super) compensated: Vec<bool>,
    /// The step whose last attempt failed, and its error, once the run compensates.
    pub(super) compensating: Option<(usize, String)>,
    /// A retriable step that ran out of attempts.
    pub(super) stuck_forward: Option<(usize, String)>,
    /// Compensations that ran out of attempts, with their last error.
    pub(super) undo_failed: Vec<Option<String>>,
    pub(super) finish: Option<Finish>,
    /// The failed step's error as it was returned, when this process saw it.
    pub(super) live_error: Option<super::definition::StepError>,
    /// When this runner last took the run's lease (not logged).
    pub(super) leased_at: Option<std::time::Instant>,
    /// How many entries the log holds, as far as this runner knows: those it read back and
    /// those it appended since (not logged).
    pub(super) logged: usize,
}

impl Run {
    pub(super) fn new(steps: usize, input: String) -> Self {
        Run {
            input,
            completed: vec![false; steps],
            outputs: vec![None; steps],
            attempts: vec![0; steps],
            undo_attempts: vec![0; steps],
            attempt_base: vec![0; steps],
            undo_attempt_base: vec![0; steps],
            compensated: vec![false; steps],
            compensating: None,
            stuck_forward: None,
            undo_failed: vec![None; steps],
            finish: None,
            live_error: None,
            leased_at: None,
            logged: 0,
        }
    }

    /// The run its log describes.
    pub(super) fn replay(
        id: &str,
        steps: &[StepInfo],
        entries: &[String],
    ) -> Result<Self, SagaError> {
        let corrupt = |reason: String| SagaError::Corrupt {
            id: id.to_owned(),
            reason,
        };
        let index = |name: &str| {
            steps.iter().position(|s| s.name == name).ok_or_else(|| {
                let shown: String = name.chars().take(64).collect();
                corrupt(format!("it names a step `{shown}` this saga does not have"))
            })
        };
        let mut events = entries.iter().enumerate().map(|(at, text)| {
            SagaEvent::decode(text).map_err(|reason| corrupt(format!("entry {}: {reason}", at + 1)))
        });
        let input = match events.next() {
            Some(Ok(SagaEvent::Started { input })) => input,
            Some(Ok(_)) => return Err(corrupt("it does not begin with `started`".into())),
            Some(Err(error)) => return Err(error),
            None => return Err(SagaError::NotFound { id: id.to_owned() }),
        };
        let mut run = Run::new(steps.len(), input);
        run.logged = entries.len();
        for event in events {
            match event? {
                SagaEvent::Started { .. } => {
                    return Err(corrupt("it has a second `started`".into()));
                }
                SagaEvent::StepStarted { step, attempt } => {
                    let i = index(&step)?;
                    run.attempts[i] = run.attempts[i].max(attempt);
                }
                SagaEvent::StepCompleted { step, output } => {
                    let i = index(&step)?;
                    run.completed[i] = true;
                    run.outputs[i] = Some(output);
                }
                SagaEvent::StepFailed {
                    step, error, last, ..
                } => {
                    let i = index(&step)?;
                    if last {
                        if steps[i].kind == StepKind::Retriable {
                            run.stuck_forward = Some((i, error));
                        } else {
                            run.compensating = Some((i, error));
                        }
                    }
                }
                SagaEvent::CompensationStarted { step, attempt } => {
                    let i = index(&step)?;
                    run.undo_attempts[i] = run.undo_attempts[i].max(attempt);
                }
                SagaEvent::CompensationCompleted { step } => {
                    let i = index(&step)?;
                    run.compensated[i] = true;
                }
                SagaEvent::CompensationFailed {
                    step, error, last, ..
                } => {
                    let i = index(&step)?;
                    if last {
                        run.undo_failed[i] = Some(error);
                    }
                }
                SagaEvent::Completed => run.finish = Some(Finish::Completed),
                SagaEvent::Compensated => run.finish = Some(Finish::Compensated),
                SagaEvent::Stuck => run.finish = Some(Finish::Stuck),
                SagaEvent::Resolved { .. } => run.finish = Some(Finish::Resolved),
                SagaEvent::Retried => {
                    run.attempt_base.clone_from(&run.attempts);
                    run.undo_attempt_base.clone_from(&run.undo_attempts);
                    run.finish = None;
                    run.stuck_forward = None;
                    run.undo_failed.iter_mut().for_each(|e| *e = None);
                }
            }
        }
        Ok(run)
    }

    /// The step that led a stuck run here, and the errors that keep it there.
    pub(super) fn stuck_report(
        &self,
        steps: &'static [StepInfo],
    ) -> (&'static str, Vec<(&'static str, String)>) {
        if let Some((step, error)) = &self.stuck_forward {
            return (steps[*step].name, vec![(steps[*step].name, error.clone())]);
        }
        let failed = self.compensating.as_ref().map_or(0, |(step, _)| *step);
        let errors = (0..steps.len())
            .rev()
            .filter_map(|i| self.undo_failed[i].clone().map(|e| (steps[i].name, e)))
            .collect();
        (steps[failed].name, errors)
    }
}
