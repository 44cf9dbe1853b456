//! The saga log's entries: one JSON object per event, written before the next action.

use serde_json::{Map, Value, json};

/// One event of a saga run, as logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SagaEvent {
    /// The run began with this input (JSON).
    Started {
        /// The input, serialised.
        input: String,
    },
    /// An attempt of a step is about to run.
    StepStarted {
        /// The step.
        step: String,
        /// The attempt, from 1.
        attempt: u32,
    },
    /// The step completed with this output (JSON).
    StepCompleted {
        /// The step.
        step: String,
        /// Its output, serialised.
        output: String,
    },
    /// An attempt of a step failed; `last` when no attempt follows.
    StepFailed {
        /// The step.
        step: String,
        /// The attempt, from 1.
        attempt: u32,
        /// What the error said.
        error: String,
        /// Whether the step has no attempt left.
        last: bool,
    },
    /// An attempt of a step's compensation is about to run.
    CompensationStarted {
        /// The step being undone.
        step: String,
        /// The attempt, from 1.
        attempt: u32,
    },
    /// The step's compensation completed.
    CompensationCompleted {
        /// The step undone.
        step: String,
    },
    /// An attempt of a compensation failed; `last` when no attempt follows.
    CompensationFailed {
        /// The step being undone.
        step: String,
        /// The attempt, from 1.
        attempt: u32,
        /// What the error said.
        error: String,
        /// Whether the compensation has no attempt left.
        last: bool,
    },
    /// Every step completed.
    Completed,
    /// Every completed step was compensated.
    Compensated,
    /// The run cannot finish without a person.
    Stuck,
    /// A stuck run was given another try.
    Retried,
    /// A person marked a stuck run as dealt with.
    Resolved {
        /// What they said.
        note: String,
    },
}

impl SagaEvent {
    /// An attempt of a step, or of its compensation, about to run.
    pub(crate) fn attempt_started(undo: bool, step: String, attempt: u32) -> Self {
        if undo {
            SagaEvent::CompensationStarted { step, attempt }
        } else {
            SagaEvent::StepStarted { step, attempt }
        }
    }

    /// An attempt of a step, or of its compensation, that failed.
    pub(crate) fn attempt_failed(
        undo: bool,
        step: String,
        attempt: u32,
        error: String,
        last: bool,
    ) -> Self {
        if undo {
            SagaEvent::CompensationFailed {
                step,
                attempt,
                error,
                last,
            }
        } else {
            SagaEvent::StepFailed {
                step,
                attempt,
                error,
                last,
            }
        }
    }

    pub(crate) fn encode(&self) -> String {
        let value = match self {
            SagaEvent::Started { input } => json!({ "event": "started", "input": input }),
            SagaEvent::StepStarted { step, attempt } => {
                json!({ "event": "step_started", "step": step, "attempt": attempt })
            }
            SagaEvent::StepCompleted { step, output } => {
                json!({ "event": "step_completed", "step": step, "output": output })
            }
            SagaEvent::StepFailed {
                step,
                attempt,
                error,
                last,
            } => json!({
                "event": "step_failed", "step": step, "attempt": attempt, "error": error,
                "last": last,
            }),
            SagaEvent::CompensationStarted { step, attempt } => {
                json!({ "event": "compensation_started", "step": step, "attempt": attempt })
            }
            SagaEvent::CompensationCompleted { step } => {
                json!({ "event": "compensation_completed", "step": step })
            }
            SagaEvent::CompensationFailed {
                step,
                attempt,
                error,
                last,
            } => json!({
                "event": "compensation_failed", "step": step, "attempt": attempt,
                "error": error, "last": last,
            }),
            SagaEvent::Completed => json!({ "event": "completed" }),
            SagaEvent::Compensated => json!({ "event": "compensated" }),
            SagaEvent::Stuck => json!({ "event": "stuck" }),
            SagaEvent::Retried => json!({ "event": "retried" }),
            SagaEvent::Resolved { note } => json!({ "event": "resolved", "note": note }),
        };
        value.to_string()
    }

    /// The event logged as `text`, or what is wrong with it.
    pub(crate) fn decode(text: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(map) = value else {
            return Err("not a JSON object".into());
        };
        let kind = string(&map, "event")?;
        Ok(match kind.as_str() {
            "started" => SagaEvent::Started {
                input: string(&map, "input")?,
            },
            "step_started" => SagaEvent::StepStarted {
                step: string(&map, "step")?,
                attempt: number(&map, "attempt")?,
            },
            "step_completed" => SagaEvent::StepCompleted {
                step: string(&map, "step")?,
                output: string(&map, "output")?,
            },
            "step_failed" => SagaEvent::StepFailed {
                step: string(&map, "step")?,
                attempt: number(&map, "attempt")?,
                error: string(&map, "error")?,
                last: flag(&map, "last")?,
            },
            "compensation_started" => SagaEvent::CompensationStarted {
                step: string(&map, "step")?,
                attempt: number(&map, "attempt")?,
            },
            "compensation_completed" => SagaEvent::CompensationCompleted {
                step: string(&map, "step")?,
            },
            "compensation_failed" => SagaEvent::CompensationFailed {
                step: string(&map, "step")?,
                attempt: number(&map, "attempt")?,
                error: string(&map, "error")?,
                last: flag(&map, "last")?,
            },
            "completed" => SagaEvent::Completed,
            "compensated" => SagaEvent::Compensated,
            "stuck" => SagaEvent::Stuck,
            "retried" => SagaEvent::Retried,
            "resolved" => SagaEvent::Resolved {
                note: string(&map, "note")?,
            },
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(format!("unknown event `{shown}`"));
            }
        })
    }
}

fn field<'m>(map: &'m Map<String, Value>, name: &str) -> Result<&'m Value, String> {
    map.get(name).ok_or_else(|| format!("no `{name}` field"))
}

fn string(map: &Map<String, Value>, name: &str) -> Result<String, String> {
    match field(map, name)? {
        Value::String(text) => Ok(text.clone()),
        _ => Err(format!("`{name}` is not a string")),
    }
}

fn number(map: &Map<String, Value>, name: &str) -> Result<u32, String> {
    field(map, name)?
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("`{name}` is not an attempt number"))
}

fn flag(map: &Map<String, Value>, name: &str) -> Result<bool, String> {
    field(map, name)?
        .as_bool()
        .ok_or_else(|| format!("`{name}` is not true or false"))
}

#[cfg(test)]
mod tests {
    use super::SagaEvent;

    #[test]
    fn every_event_reads_back_as_written() {
        let events = [
            SagaEvent::Started {
                input: "{\"a\":1}".into(),
            },
            SagaEvent::StepStarted {
                step: "charge".into(),
                attempt: 2,
            },
            SagaEvent::StepCompleted {
                step: "charge".into(),
                output: "\"p-1\"".into(),
            },
            SagaEvent::StepFailed {
                step: "ship".into(),
                attempt: 1,
                error: "no truck".into(),
                last: true,
            },
            SagaEvent::CompensationStarted {
                step: "charge".into(),
                attempt: 1,
            },
            SagaEvent::CompensationCompleted {
                step: "charge".into(),
            },
            SagaEvent::CompensationFailed {
                step: "charge".into(),
                attempt: 3,
                error: "e".into(),
                last: false,
            },
            SagaEvent::Completed,
            SagaEvent::Compensated,
            SagaEvent::Stuck,
            SagaEvent::Retried,
            SagaEvent::Resolved {
                note: "refunded by hand".into(),
            },
        ];
        for event in events {
            assert_eq!(SagaEvent::decode(&event.encode()), Ok(event));
        }
    }

    #[test]
    fn a_damaged_entry_says_what_is_wrong() {
        assert!(
            SagaEvent::decode("not json")
                .unwrap_err()
                .starts_with("not JSON")
        );
        assert_eq!(SagaEvent::decode("[1]").unwrap_err(), "not a JSON object");
        assert_eq!(
            SagaEvent::decode("{\"event\":\"step_started\",\"step\":\"a\"}").unwrap_err(),
            "no `attempt` field"
        );
        assert_eq!(
            SagaEvent::decode("{\"event\":\"exploded\"}").unwrap_err(),
            "unknown event `exploded`"
        );
    }
}
