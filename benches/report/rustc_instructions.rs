//! What rustc spends checking one crate, counted in instructions: `cargo check` with rustc run
//! under callgrind for that crate alone (a `RUSTC_WRAPPER`), without incremental compilation.
//! Unlike seconds, the count is the same from run to run and from one machine's load to the
//! next, so two crates checked in different runs still compare.

use std::path::Path;
use std::process::Command;

/// The wrapper: rustc under callgrind for the crate named `PK_PROBE_CRATE`, as it is for
/// every other.
const WRAPPER: &str = "#!/bin/sh\n\
    case \" $* \" in\n\
    *\" --crate-name $PK_PROBE_CRATE \"*) exec valgrind --tool=callgrind --callgrind-out-file=\"$PK_PROBE_OUT\" \"$@\" 2>/dev/null ;;\n\
    esac\n\
    exec \"$@\"\n";

/// The instructions rustc runs to check package `package` in `dir` (its dependencies built
/// first, and not counted), or `None` when something failed.
pub fn check(dir: &Path, target: &Path, package: &str) -> Option<u64> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let wrapper = target.join("pk-rustc-wrapper.sh");
    let out = target.join(format!("{package}.callgrind"));
    std::fs::create_dir_all(target).ok()?;
    std::fs::write(&wrapper, WRAPPER).ok()?;
    let run = |args: &[&str], counted: bool| {
        let mut command = Command::new(&cargo);
        command
            .current_dir(dir)
            .args(args)
            .arg("--quiet")
            .arg("--target-dir")
            .arg(target)
            .env("CARGO_INCREMENTAL", "0");
        if counted {
            command
                .env("RUSTC_WRAPPER", &wrapper)
                .env("PK_PROBE_CRATE", package.replace('-', "_"))
                .env("PK_PROBE_OUT", &out);
        }
        command
            .status()
            .ok()
            .filter(std::process::ExitStatus::success)
    };
    // Dependencies first, uncounted; then the crate alone, counted.
    run(&["check"], false)?;
    run(&["clean", "-p", package], false)?;
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::set_permissions(&wrapper, executable());
    run(&["check"], true)?;
    let text = std::fs::read_to_string(&out).ok()?;
    text.lines()
        .find_map(|line| {
            line.strip_prefix("summary:")
                .or_else(|| line.strip_prefix("totals:"))
        })
        .and_then(|total| total.split_whitespace().next()?.parse().ok())
}

fn executable() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::Permissions::from_mode(0o755)
}
