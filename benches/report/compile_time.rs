//! What `#[derive(StateMachine)]` adds to `cargo check` for the 50 × 50 machine: the same
//! crate is checked with and without the derive (a cargo feature of a probe crate, so the
//! dependencies stay built), and the difference is the time to expand, analyse and
//! type-check the generated code.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PROBE: &str = include_str!("generated/machine_50x50_probe.rs");

fn check(dir: &Path, with_derive: bool) -> Option<Duration> {
    // Rewrite the source so cargo checks it again.
    std::fs::write(dir.join("src/lib.rs"), PROBE).ok()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(dir).args(["check", "--quiet"]);
    if with_derive {
        command.args(["--features", "with_derive"]);
    }
    let start = Instant::now();
    let status = command.status().ok()?;
    status.success().then(|| start.elapsed())
}

/// The Markdown section, or why it could not be measured.
pub fn section(out_dir: &Path) -> String {
    let dir = out_dir.join("compile-probe");
    let manifest = format!(
        "[package]\nname = \"pk-compile-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [features]\nwith_derive = []\n\n[dependencies]\npatternkit = {{ path = {:?} }}\n\n[workspace]\n",
        crate::harness::repo_root().display().to_string()
    );
    let prepared = std::fs::create_dir_all(dir.join("src"))
        .and_then(|()| std::fs::write(dir.join("Cargo.toml"), manifest));
    if prepared.is_err() {
        return "### State machine: compile time\n\nThe probe crate could not be written.\n".into();
    }
    // Build the dependencies once, both ways.
    let (Some(_), Some(_)) = (check(&dir, false), check(&dir, true)) else {
        return "### State machine: compile time\n\nThe probe crate did not build.\n".into();
    };
    let best = |with: bool| (0..5).filter_map(|_| check(&dir, with)).min();
    let (Some(without), Some(with)) = (best(false), best(true)) else {
        return "### State machine: compile time\n\nThe probe crate did not build.\n".into();
    };
    let added = with.saturating_sub(without);
    crate::harness::record("machine_50x50_check_added", added.as_secs_f64());
    eprintln!("  50x50 machine: check {without:?} without the derive, {with:?} with it");
    format!(
        "### State machine: compile time\n\n\
         `cargo check` of a crate holding the 50-state, 50-event, 500-row machine, best of 5, \
         with and without `#[derive(StateMachine)]`; the difference is what expanding, \
         analysing and type-checking the machine costs. Target: under 1 s.\n\n\
         | `cargo check` | seconds |\n| --- | ---: |\n\
         | without the derive | {:.2} |\n| with the derive | {:.2} |\n| added by the derive | {:.2} |\n",
        without.as_secs_f64(),
        with.as_secs_f64(),
        added.as_secs_f64()
    )
}
