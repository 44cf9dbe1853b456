//! What a step knows: which saga run it belongs to, which attempt this is, the key that
//! makes a repeated attempt have one effect, and the outputs of earlier steps.

use serde::de::DeserializeOwned;

use super::definition::{StepError, StepInfo};

/// The step being run and the run it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepContext {
    pub(crate) saga: &'static str,
    pub(crate) id: String,
    pub(crate) step: &'static str,
    pub(crate) attempt: u32,
    pub(crate) undo: bool,
}

impl StepContext {
    /// The saga's name.
    #[must_use]
    pub fn saga(&self) -> &'static str {
        self.saga
    }

    /// The run's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The step's name.
    #[must_use]
    pub fn step(&self) -> &'static str {
        self.step
    }

    /// Which attempt this is, from 1; it goes on counting across a restart.
    #[must_use]
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Whether this is the step's compensation rather than the step.
    #[must_use]
    pub fn is_compensation(&self) -> bool {
        self.undo
    }

    /// A key that is the same for every attempt of this step (or of its compensation) in
    /// this run, also after a restart: `PlaceOrder/42/charge` (and `.../charge/undo`). Pass
    /// it to the service the step calls, so that a step run again has one effect.
    #[must_use]
    pub fn idempotency_key(&self) -> String {
        if self.undo {
            format!("{}/{}/{}/undo", self.saga, self.id, self.step)
        } else {
            format!("{}/{}/{}", self.saga, self.id, self.step)
        }
    }
}

/// The outputs of a run's completed steps, as logged.
#[derive(Clone, Debug, Default)]
pub struct Outputs {
    pub(crate) steps: &'static [StepInfo],
    pub(crate) values: Vec<Option<String>>,
}

impl Outputs {
    /// The output of step `step` (its index), read back as a `T`.
    ///
    /// # Errors
    ///
    /// When that step has not completed, or its logged output is not a `T`.
    pub fn get<T: DeserializeOwned>(&self, step: usize) -> Result<T, StepError> {
        let name = self.steps.get(step).map_or("?", |s| s.name);
        let Some(Some(text)) = self.values.get(step) else {
            return Err(StepError::logged(format!(
                "the output of step `{name}` is needed but that step has not completed"
            )));
        };
        serde_json::from_str(text).map_err(|error| {
            StepError::logged(format!(
                "the logged output of step `{name}` cannot be read back: {error}"
            ))
        })
    }
}
