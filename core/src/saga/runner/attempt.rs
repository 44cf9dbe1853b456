//! One step (or its compensation) tried until it completes or runs out of attempts, each
//! attempt logged before it runs and its result after.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::lease::Kept;
use super::{SagaRunner, Step};
use crate::saga::context::{Outputs, StepContext};
use crate::saga::definition::{Call, Saga, StepError, StepKind};
use crate::saga::log::Run;
use crate::saga::outcome::SagaError;
use crate::saga::record::SagaEvent;
use crate::store::Journal;
use crate::time;

impl<S: Saga, J: Journal> SagaRunner<S, J> {
    /// Tries a step (or its compensation) until it completes or runs out of attempts,
    /// logging each attempt before it runs and its result after.
    pub(super) async fn run_step(
        &self,
        id: &str,
        step: usize,
        input: &S::Input,
        run: &mut Run,
        undo: bool,
    ) -> Result<Step, SagaError> {
        let info = &S::STEPS[step];
        let max = info.attempts.unwrap_or(match info.kind {
            StepKind::Retriable if !undo => self.policy.retriable_attempts,
            _ => self.policy.attempts,
        });
        let limit = info.timeout.or(self.policy.timeout);
        let name = info.name.to_owned();
        loop {
            if let Kept::Moved = self.keep_lease(id, run).await? {
                return Ok(Step::Moved);
            }
            let attempts = if undo {
                &mut run.undo_attempts
            } else {
                &mut run.attempts
            };
            attempts[step] += 1;
            let attempt = attempts[step];
            self.log(
                id,
                run,
                &SagaEvent::attempt_started(undo, name.clone(), attempt),
            )
            .await?;
            let context = StepContext {
                saga: S::NAME,
                id: id.to_owned(),
                step: info.name,
                attempt,
                undo,
            };
            let outputs = Outputs {
                steps: S::STEPS,
                values: run.outputs.clone(),
            };
            // The lease is kept while the step runs, and checked again before its result
            // is logged: a result reached after another runner took the run over is not.
            let once = self.attempt(step, undo, &context, input, &outputs, limit);
            let Some(mut result) = self.while_leased(id, run, once).await? else {
                return Ok(Step::Moved);
            };
            if self.run_twice && result.is_ok() {
                let again = self.attempt(step, undo, &context, input, &outputs, limit);
                let Some(again) = self.while_leased(id, run, again).await? else {
                    return Ok(Step::Moved);
                };
                result = again;
            }
            if let Kept::Moved = self.keep_lease(id, run).await? {
                return Ok(Step::Moved);
            }
            match result {
                Ok(output) => {
                    if undo {
                        self.log(id, run, &SagaEvent::CompensationCompleted { step: name })
                            .await?;
                        run.compensated[step] = true;
                    } else {
                        self.log(
                            id,
                            run,
                            &SagaEvent::StepCompleted {
                                step: name,
                                output: output.clone(),
                            },
                        )
                        .await?;
                        run.completed[step] = true;
                        run.outputs[step] = Some(output);
                    }
                    return Ok(Step::Done);
                }
                Err(error) => {
                    let base = if undo {
                        run.undo_attempt_base[step]
                    } else {
                        run.attempt_base[step]
                    };
                    let last = attempt - base >= max;
                    let message = error.message().to_owned();
                    let event =
                        SagaEvent::attempt_failed(undo, name.clone(), attempt, message, last);
                    self.log(id, run, &event).await?;
                    if last {
                        return Ok(Step::Failed(error));
                    }
                    let wait = time::sleep(self.policy.delay(attempt, unit()));
                    if self.while_leased(id, run, wait).await?.is_none() {
                        return Ok(Step::Moved);
                    }
                }
            }
        }
    }

    async fn attempt(
        &self,
        step: usize,
        undo: bool,
        context: &StepContext,
        input: &S::Input,
        outputs: &Outputs,
        limit: Option<Duration>,
    ) -> Result<String, StepError> {
        let call = Call {
            context,
            input,
            outputs,
        };
        let future = if undo {
            self.saga.compensation(step, call)
        } else {
            self.saga.action(step, call)
        };
        match time::timeout(limit, future).await {
            Some(result) => result,
            None => Err(StepError::timed_out(limit.unwrap_or_default())),
        }
    }
}

/// A number in `0..=1` for jitter: xorshift over the clock and a counter, no dependency.
fn unit() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut x = STATE.fetch_add(u64::from(nanos) | 1, Ordering::Relaxed) ^ u64::from(nanos);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    #[allow(clippy::cast_precision_loss)]
    let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
    unit
}
