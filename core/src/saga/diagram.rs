//! A saga drawn as a Mermaid flowchart.

use std::fmt::Write as _;

use super::definition::{StepInfo, StepKind};

pub(super) fn mermaid(name: &str, steps: &[StepInfo]) -> String {
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "    start([{name}])");
    let mut previous = "start".to_owned();
    for step in steps {
        let label = match step.kind {
            StepKind::Compensatable => step.name.to_owned(),
            StepKind::Pivot => format!("{} · pivot", step.name),
            StepKind::Retriable => format!("{} · retried", step.name),
        };
        let _ = writeln!(out, "    {previous} --> {}[\"{label}\"]", step.name);
        step.name.clone_into(&mut previous);
    }
    let _ = writeln!(out, "    {previous} --> done([completed])");
    for step in steps {
        if let Some(undo) = step.compensation {
            let _ = writeln!(
                out,
                "    {} -. on a later failure .-> {undo}{{{{\"{undo}\"}}}}",
                step.name
            );
        }
    }
    out
}
