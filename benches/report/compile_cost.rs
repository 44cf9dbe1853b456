//! What the macros cost at compile time: a crate of 200 annotated types (50 singletons, 50
//! factories, 50 state machines, 50 commands) against the same crate written with the peers'
//! macros (`lazy_static`, strum, rust-fsm; commands implemented by hand, as there is no peer),
//! checked clean and after a one-line change; and the cold build of `patternkit-macros`
//! against `strum_macros`.

// Report generation: long tables and small counts turned into floats.
#![allow(clippy::too_many_lines, clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TYPES: usize = 50;

/// The peers' crates, as the crate written with them depends on them.
const PEERS_DEPENDENCIES: &str = "lazy_static = \"1.5\"\nstrum = { version = \"0.27\", features = [\"derive\"] }\nrust-fsm = \"0.8\"\n";

fn patternkit_source() -> String {
    let mut out = String::from("#![allow(dead_code)]\nuse patternkit::prelude::*;\n");
    for i in 0..TYPES {
        let _ = write!(
            out,
            "#[singleton] #[derive(Default)] pub struct Single{i} {{ pub value: u32 }}\n\
             #[derive(Factory)] pub enum Kind{i} {{ Alpha, Beta(u8), Gamma {{ x: u16 }}, Delta, Epsilon }}\n\
             pub enum Ev{i} {{ Go, Stop, Reset }}\n\
             #[derive(StateMachine)] #[state_machine(event = Ev{i}, initial = Idle, transitions = [\n\
             Idle + Go => Run, Run + Stop => Idle, _ + Reset => Idle])] pub enum Machine{i} {{ Idle, Run }}\n\
             #[derive(Command)] #[command(output = u32)] pub struct Cmd{i}(pub u32);\n"
        );
    }
    out
}

fn peers_source() -> String {
    let mut out = String::from(
        "#![allow(dead_code, non_camel_case_types)]\n\
         pub trait Message {{ const NAME: &'static str; }}\n\
         pub trait Command: Message {{ type Output; }}\n",
    )
    .replace("{{", "{")
    .replace("}}", "}");
    for i in 0..TYPES {
        let _ = write!(
            out,
            "#[derive(Default)] pub struct Single{i}T {{ pub value: u32 }}\n\
             lazy_static::lazy_static! {{ pub static ref SINGLE{i}: Single{i}T = Single{i}T::default(); }}\n\
             #[derive(strum::EnumString, strum::EnumDiscriminants, strum::EnumIter, strum::Display)]\n\
             pub enum Kind{i} {{ Alpha, Beta(u8), Gamma {{ x: u16 }}, Delta, Epsilon }}\n\
             rust_fsm::state_machine! {{ pub machine{i}(Idle) Idle => {{ Go => Run, Reset => Idle }}, Run => {{ Stop => Idle, Reset => Idle }} }}\n\
             pub struct Cmd{i}(pub u32);\n\
             impl Message for Cmd{i} {{ const NAME: &'static str = \"Cmd{i}\"; }}\n\
             impl Command for Cmd{i} {{ type Output = u32; }}\n"
        );
    }
    out
}

fn write_crate(dir: &Path, name: &str, dependencies: &str, source: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{dependencies}\n[workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), source)
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Option<Duration> {
    cargo_in(dir, target, args, &[])
}

/// A dependency from the registry builds without incremental compilation, where a path
/// dependency (as `patternkit-macros` is here) would build with it: the cold builds are
/// measured as a user gets them.
fn cargo_cold(dir: &Path, target: &Path) -> Option<Duration> {
    cargo_in(dir, target, &["build"], &[("CARGO_INCREMENTAL", "0")])
}

fn cargo_in(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<Duration> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let start = Instant::now();
    let status = Command::new(cargo)
        .envs(env.iter().copied())
        .current_dir(dir)
        .args(args)
        .arg("--quiet")
        .arg("--target-dir")
        .arg(target)
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

/// Best of three checks of the crate alone: after `cargo clean -p`, and after a comment changes.
fn crate_checks(
    dir: &Path,
    target: &Path,
    package: &str,
    source: &str,
) -> Option<(Duration, Duration)> {
    cargo(dir, target, &["check"])?;
    let mut clean = Vec::new();
    let mut incremental = Vec::new();
    for round in 0..3 {
        cargo(dir, target, &["clean", "-p", package])?;
        clean.push(cargo(dir, target, &["check"])?);
        std::fs::write(
            dir.join("src/lib.rs"),
            format!("{source}\n// edit {round}\n"),
        )
        .ok()?;
        incremental.push(cargo(dir, target, &["check"])?);
    }
    Some((*clean.iter().min()?, *incremental.iter().min()?))
}

fn secs(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64())
}

pub fn section(out_dir: &Path) -> String {
    let root: PathBuf = out_dir.join("compile-cost");
    let target = root.join("target");
    let manifest = crate::harness::repo_root().display().to_string();
    let manifest = manifest.as_str();
    let pk_dir = root.join("with-patternkit");
    let peers_dir = root.join("with-peers");
    let pk_source = patternkit_source();
    let peers_source = peers_source();
    let written = write_crate(
        &pk_dir,
        "with-patternkit",
        &format!("patternkit = {{ path = {manifest:?} }}\n"),
        &pk_source,
    )
    .and_then(|()| write_crate(&peers_dir, "with-peers", PEERS_DEPENDENCIES, &peers_source));
    if written.is_err() {
        return "### Compile time\n\nThe probe crates could not be written.\n".into();
    }
    let (Some((pk_clean, pk_incremental)), Some((peers_clean, peers_incremental))) = (
        crate_checks(&pk_dir, &target, "with-patternkit", &pk_source),
        crate_checks(&peers_dir, &target, "with-peers", &peers_source),
    ) else {
        return "### Compile time\n\nThe probe crates did not build.\n".into();
    };
    eprintln!(
        "  200 types: patternkit {pk_clean:?} / {pk_incremental:?}, peers {peers_clean:?} / {peers_incremental:?}"
    );
    crate::harness::record(
        "compile_pk_per_type",
        pk_clean.as_secs_f64() / (4.0 * TYPES as f64),
    );
    crate::harness::record(
        "compile_peers_per_type",
        peers_clean.as_secs_f64() / (4.0 * TYPES as f64),
    );

    // Cold builds of the macro crates alone, each in a fresh target directory.
    let macros_dir = root.join("macros-only");
    let strum_dir = root.join("strum-macros-only");
    let cold = write_crate(
        &macros_dir,
        "macros-only",
        &format!(
            "patternkit-macros = {{ path = \"{}\" }}\n",
            Path::new(manifest).join("macros").display()
        ),
        "",
    )
    .and_then(|()| {
        write_crate(
            &strum_dir,
            "strum-macros-only",
            "strum_macros = \"0.27\"\n",
            "",
        )
    })
    .ok()
    .and_then(|()| {
        let pk = cargo_cold(&macros_dir, &root.join("cold-pk"));
        let strum = cargo_cold(&strum_dir, &root.join("cold-strum"));
        let _ = std::fs::remove_dir_all(root.join("cold-pk"));
        let _ = std::fs::remove_dir_all(root.join("cold-strum"));
        Some((pk?, strum?))
    });
    let per_type = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0 / (4.0 * TYPES as f64));
    let mut out = String::from("### Compile time\n\n");
    let _ = writeln!(
        out,
        "`cargo check` of one crate holding {n} annotated types — {TYPES} singletons, {TYPES} factories, \
         {TYPES} state machines, {TYPES} commands — against the same crate written with lazy_static, \
         strum (`EnumString`, `EnumDiscriminants`, `EnumIter`, `Display`), rust-fsm and hand-written \
         command impls; best of three, dependencies already built. Clean: after `cargo clean -p`; \
         incremental: after a one-line change.\n",
        n = 4 * TYPES
    );
    let _ = writeln!(
        out,
        "| crate | clean (s) | per type (ms) | incremental (s) |\n| --- | ---: | ---: | ---: |"
    );
    let _ = writeln!(
        out,
        "| with patternkit | {} | {} | {} |",
        secs(pk_clean),
        per_type(pk_clean),
        secs(pk_incremental)
    );
    let _ = writeln!(
        out,
        "| with the peers | {} | {} | {} |",
        secs(peers_clean),
        per_type(peers_clean),
        secs(peers_incremental)
    );
    out.push_str(&instructions(&root, &target, manifest, &pk_dir, &peers_dir));
    out.push_str(&storage_drivers(&root));
    if let Some((pk, strum)) = cold {
        crate::harness::record("cold_pk_macros", pk.as_secs_f64());
        crate::harness::record("cold_strum_macros", strum.as_secs_f64());
        let _ = writeln!(
            out,
            "\nCold `cargo build` of the macro crate alone, with its dependencies, in an empty target \
             directory and without incremental compilation, as a dependency from the registry \
             builds: patternkit-macros {} s (syn 3 with `derive`, `parsing`, `printing`, \
             `proc-macro`; not `full` nor `clone-impls`), strum_macros {} s (syn 2, heck, \
             rustversion).",
            secs(pk),
            secs(strum)
        );
    }
    out
}

/// Cold builds of the storage drivers the journals could use, each alone in an empty crate:
/// the measurement behind choosing rusqlite and tokio-postgres over sqlx.
fn storage_drivers(root: &Path) -> String {
    let drivers = [
        (
            "rusqlite 0.37, SQLite compiled in (`bundled`)",
            "rusqlite = { version = \"0.37\", features = [\"bundled\"] }\n",
        ),
        (
            "tokio-postgres 0.7 with tokio",
            "tokio-postgres = { version = \"0.7.12\", default-features = false, features = [\"runtime\"] }\n\
             tokio = { version = \"1.40\", default-features = false, features = [\"rt\"] }\n",
        ),
        (
            "sqlx 0.8 with SQLite, PostgreSQL and tokio",
            "sqlx = { version = \"0.8\", default-features = false, features = [\"sqlite\", \"postgres\", \"runtime-tokio\"] }\n",
        ),
    ];
    let mut out = String::from(
        "\nCold `cargo build` of each storage driver alone, with its dependencies, in an empty \
         target directory — why the journals use rusqlite and tokio-postgres rather than sqlx:\n\n\
         | driver | seconds |\n| --- | ---: |\n",
    );
    for (n, (label, dependency)) in drivers.iter().enumerate() {
        let dir = root.join(format!("driver-{n}"));
        let target = root.join(format!("driver-target-{n}"));
        let seconds = write_crate(&dir, &format!("driver-{n}"), dependency, "")
            .ok()
            .and_then(|()| cargo(&dir, &target, &["build"]));
        let _ = std::fs::remove_dir_all(&target);
        let _ = writeln!(
            out,
            "| {label} | {} |",
            seconds.map_or_else(|| "failed".to_owned(), secs)
        );
    }
    out
}

/// The same two crates counted in rustc's instructions, each less the same crate without the
/// annotated types (its dependencies and prelude alone): what one annotated type costs the
/// compiler, the same in every run. Needs valgrind.
fn instructions(
    root: &Path,
    target: &Path,
    manifest: &str,
    pk_dir: &Path,
    peers_dir: &Path,
) -> String {
    if crate::harness::valgrind_version().is_none() {
        return String::new();
    }
    let pk_empty = root.join("with-patternkit-empty");
    let peers_empty = root.join("with-peers-empty");
    let written = write_crate(
        &pk_empty,
        "with-patternkit-empty",
        &format!("patternkit = {{ path = {manifest:?} }}\n"),
        "#![allow(dead_code)]\nuse patternkit::prelude::*;\n",
    )
    .and_then(|()| {
        write_crate(
            &peers_empty,
            "with-peers-empty",
            PEERS_DEPENDENCIES,
            "#![allow(dead_code)]\n",
        )
    });
    if written.is_err() {
        return String::new();
    }
    let count = |dir: &Path, package: &str| crate::rustc_instructions::check(dir, target, package);
    let per_type = |full: Option<u64>, empty: Option<u64>| {
        Some(full?.saturating_sub(empty?) as f64 / (4.0 * TYPES as f64))
    };
    let pk = per_type(
        count(pk_dir, "with-patternkit"),
        count(&pk_empty, "with-patternkit-empty"),
    );
    let peers = per_type(
        count(peers_dir, "with-peers"),
        count(&peers_empty, "with-peers-empty"),
    );
    let (Some(pk), Some(peers)) = (pk, peers) else {
        return "\nThe instruction counts could not be taken.\n".into();
    };
    crate::harness::record("compile_pk_instructions_per_type", pk);
    crate::harness::record("compile_peers_instructions_per_type", peers);
    format!(
        "\nThe same check counted in rustc's instructions (callgrind; the crate less the same \
         crate without its types, over the 200 types), which do not move with the machine's \
         load: patternkit {:.1} M per annotated type, the peers {:.1} M ({:.2}×).\n",
        pk / 1e6,
        peers / 1e6,
        pk / peers
    )
}
