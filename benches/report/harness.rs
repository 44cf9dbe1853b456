//! A small measuring harness: instruction counts under callgrind, and time in this process.
//!
//! Each case is a `fn(iterations)` that repeats one operation. Instructions are counted by
//! running this same binary under `valgrind --tool=callgrind` with collection switched on only
//! inside [`pk_measured`], once with a short and once with a long run; the difference divided
//! by the difference in iterations is the exact cost of one iteration, setup excluded. Time is
//! the median of several timed batches. Ratios are taken between cases of one run only.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

thread_local! {
    /// Every number measured in this run, by case id, for the summary of targets.
    static RESULTS: std::cell::RefCell<std::collections::BTreeMap<&'static str, (Option<f64>, f64)>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

/// Keeps a number for the summary of targets (seconds, or any unit the summary expects).
/// The repository's root: this crate lives in its `benches/` folder.
pub fn repo_root() -> std::path::PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

pub fn record(id: &'static str, value: f64) {
    RESULTS.with_borrow_mut(|results| {
        results.insert(id, (None, value));
    });
}

/// The instructions (if counted) and nanoseconds measured for `id` in this run.
pub fn result(id: &str) -> Option<(Option<f64>, f64)> {
    RESULTS.with_borrow(|results| results.get(id).copied())
}

/// One implementation of the operation a group measures.
pub struct Case {
    pub id: &'static str,
    pub label: &'static str,
    pub run: fn(u64),
}

/// Cases measuring the same operation; ratios are against `reference`.
pub struct Group {
    pub title: &'static str,
    pub operation: &'static str,
    pub reference: &'static str,
    pub cases: Vec<Case>,
}

/// Cases laid out as rows (implementations) by columns (inputs), each reported in its own
/// cell; ratios are against `reference_row` in the same column.
pub struct Matrix {
    pub title: &'static str,
    pub operation: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<(&'static str, Vec<Case>)>,
    pub reference_row: usize,
}

pub struct Measured {
    pub label: &'static str,
    pub instructions: Option<f64>,
    pub nanos: f64,
}

/// Repeats `op` `iterations` times, keeping every result alive.
// Forced so that each case's loop is one function with the operation inlined in it, as a
// user's hot loop would be.
#[allow(clippy::inline_always)]
#[inline(always)]
pub fn repeat<R>(iterations: u64, op: impl Fn() -> R) {
    for _ in 0..iterations {
        black_box(op());
    }
}

/// Repeats `op`, which may change what it captures, `iterations` times.
#[allow(clippy::inline_always)]
#[inline(always)]
pub fn repeat_mut<R>(iterations: u64, mut op: impl FnMut() -> R) {
    for _ in 0..iterations {
        black_box(op());
    }
}

/// The one function callgrind counts inside.
// An unmangled name is what callgrind's `--toggle-collect` matches; it is only ever called
// from Rust.
#[allow(clippy::no_mangle_with_rust_abi)]
#[unsafe(no_mangle)]
#[inline(never)]
pub fn pk_measured(run: fn(u64), iterations: u64) {
    run(black_box(iterations));
}

const SHORT_RUN: u64 = 1_000;
const LONG_RUN: u64 = 11_000;

pub fn valgrind_version() -> Option<String> {
    let output = Command::new("valgrind").arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Instructions one iteration of `case` costs, or `None` without valgrind.
pub fn instructions(case: &Case, out_dir: &Path) -> Option<f64> {
    let short = count_run(case, SHORT_RUN, out_dir)?;
    let long = count_run(case, LONG_RUN, out_dir)?;
    #[allow(clippy::cast_precision_loss)]
    Some((long.saturating_sub(short)) as f64 / (LONG_RUN - SHORT_RUN) as f64)
}

fn count_run(case: &Case, iterations: u64, out_dir: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out = out_dir.join(format!("callgrind.{}.{iterations}.out", case.id));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=pk_measured")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args(["--pk-case", case.id, &iterations.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    let text = std::fs::read_to_string(&out).ok()?;
    let _ = std::fs::remove_file(&out);
    text.lines()
        .find_map(|line| {
            line.strip_prefix("totals:")
                .or_else(|| line.strip_prefix("summary:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
}

/// Median nanoseconds per iteration over several batches of about 5 ms each.
pub fn nanos(case: &Case) -> f64 {
    let mut iterations = 1_000u64;
    loop {
        let start = Instant::now();
        pk_measured(case.run, iterations);
        if start.elapsed().as_millis() >= 5 || iterations >= 1 << 32 {
            break;
        }
        iterations *= 2;
    }
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            pk_measured(case.run, iterations);
            #[allow(clippy::cast_precision_loss)]
            let per = start.elapsed().as_nanos() as f64 / iterations as f64;
            per
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// When this binary was started by [`count_run`]: runs the named case and returns `true`.
pub fn run_child<'a>(mut cases: impl Iterator<Item = &'a Case>) -> bool {
    let args: Vec<String> = std::env::args().collect();
    let Some(at) = args.iter().position(|a| a == "--pk-case") else {
        return false;
    };
    let id = &args[at + 1];
    let iterations: u64 = args[at + 2].parse().expect("iterations");
    let case = cases.find(|c| c.id == id).expect("known case");
    pk_measured(case.run, iterations);
    true
}

pub fn measure(group: &Group, out_dir: &Path, count_instructions: bool) -> Vec<Measured> {
    group
        .cases
        .iter()
        .map(|case| measure_one(case, out_dir, count_instructions))
        .collect()
}

fn measure_one(case: &Case, out_dir: &Path, count_instructions: bool) -> Measured {
    let instructions = if count_instructions {
        instructions(case, out_dir)
    } else {
        None
    };
    let nanos = nanos(case);
    RESULTS.with_borrow_mut(|results| {
        results.insert(case.id, (instructions, nanos));
    });
    eprintln!(
        "  {:<52} {:>10} instr {:>9.2} ns",
        case.id,
        instructions.map_or("-".into(), |i| format!("{i:.2}")),
        nanos
    );
    Measured {
        label: case.label,
        instructions,
        nanos,
    }
}

/// Measures every cell of `matrix` and renders it as two Markdown tables, instructions and
/// time, each cell with its ratio to the reference row.
pub fn matrix_tables(matrix: &Matrix, out_dir: &Path, count_instructions: bool) -> String {
    let measured: Vec<Vec<Measured>> = matrix
        .rows
        .iter()
        .map(|(_, cases)| {
            cases
                .iter()
                .map(|case| measure_one(case, out_dir, count_instructions))
                .collect()
        })
        .collect();
    let mut out = format!("### {}\n\n{}\n", matrix.title, matrix.operation);
    let header = |unit: &str| {
        let mut line = format!("\n| {unit} |");
        let mut rule = String::from("| --- |");
        for column in &matrix.columns {
            let _ = write!(line, " {column} |");
            rule.push_str(" ---: |");
        }
        format!("{line}\n{rule}\n")
    };
    let reference = &measured[matrix.reference_row];
    let reference_label = matrix.rows[matrix.reference_row].0;
    for (unit, value) in [
        (
            "instructions",
            (|m: &Measured| m.instructions) as fn(&Measured) -> Option<f64>,
        ),
        ("time (ns)", |m: &Measured| Some(m.nanos)),
    ] {
        out.push_str(&header(&format!("{unit} (× {reference_label})")));
        for ((label, _), cells) in matrix.rows.iter().zip(&measured) {
            let _ = write!(out, "| {label} |");
            for (cell, base) in cells.iter().zip(reference) {
                match (value(cell), value(base)) {
                    (Some(v), Some(b)) if b > 0.0 => {
                        let _ = write!(out, " {v:.1} ({:.2}) |", v / b);
                    }
                    (Some(v), _) => {
                        let _ = write!(out, " {v:.1} |");
                    }
                    (None, _) => out.push_str(" n/a |"),
                }
            }
            out.push('\n');
        }
    }
    out
}

/// The group as a Markdown table, ratios against the group's reference case.
pub fn table(group: &Group, rows: &[Measured]) -> String {
    let reference = group
        .cases
        .iter()
        .position(|c| c.id == group.reference)
        .map(|i| &rows[i]);
    let mut out = format!(
        "### {}\n\n{}\n\n| implementation | instructions | × reference | time (ns) | × reference |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
        group.title, group.operation
    );
    for row in rows {
        let instr = row.instructions.map_or("n/a".into(), |i| format!("{i:.1}"));
        let instr_ratio = match (row.instructions, reference.and_then(|r| r.instructions)) {
            (Some(i), Some(r)) if r > 0.0 => format!("{:.2}", i / r),
            _ => "n/a".into(),
        };
        let time_ratio = reference.map_or("n/a".into(), |r| format!("{:.2}", row.nanos / r.nanos));
        let _ = writeln!(
            out,
            "| {} | {instr} | {instr_ratio} | {:.2} | {time_ratio} |",
            row.label, row.nanos
        );
    }
    out
}

/// What the numbers were measured on.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores available; {rustc}; {}",
        std::env::consts::ARCH
    )
}
