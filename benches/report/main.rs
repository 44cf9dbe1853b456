//! The performance report: `cargo benchmarks` measures every pattern against
//! hand-written code and the peer crates, and writes `BENCHMARKS.md`.
//!
//! Instruction counts need valgrind (`apt-get install valgrind`); without it only times are
//! reported. `PK_BENCH_NO_CALLGRIND=1` skips instruction counts on purpose. Words after
//! `cargo benchmarks --` keep only the sections whose title contains one of them,
//! and then `BENCHMARKS.md` is left alone.

mod cases;
mod commit;
mod compile_cost;
mod compile_time;
mod cqrs;
mod di;
mod factory;
mod harness;
mod messaging;
mod pool;
mod rustc_instructions;
mod saga;
mod singleton;
mod state_machine;
mod targets;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let groups = cases::groups();
    let matrices = cases::matrices();
    let every_case = groups.iter().flat_map(|g| &g.cases).chain(
        matrices
            .iter()
            .flat_map(|m| m.rows.iter().flat_map(|(_, cases)| cases)),
    );
    if harness::run_child(every_case) {
        return;
    }
    // `cargo bench` passes `--bench`; any other word is a filter on section titles.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted =
        |title: &str| filter.is_empty() || filter.iter().any(|f| title.contains(f.as_str()));

    let valgrind = if std::env::var_os("PK_BENCH_NO_CALLGRIND").is_some() {
        None
    } else {
        harness::valgrind_version()
    };
    if valgrind.is_none() {
        eprintln!("valgrind not found: instruction counts are skipped (apt-get install valgrind)");
    }
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR"));

    let mut report = String::new();
    let _ = writeln!(report, "# Benchmarks\n");
    let _ = writeln!(
        report,
        "Produced by `cargo benchmarks` (see `benches/report/`). Instructions are \
         counted by callgrind for one operation in a loop, setup excluded; time is the median \
         of 15 batches of about 5 ms. Ratios compare cases measured in the same run. Times \
         depend on the machine and its load; instruction counts do not.\n"
    );
    let _ = writeln!(report, "- machine: {}", harness::machine());
    let _ = writeln!(
        report,
        "- valgrind: {}\n",
        valgrind
            .as_deref()
            .unwrap_or("not installed: instruction counts skipped")
    );
    for group in groups.iter().filter(|g| wanted(g.title)) {
        eprintln!("{}", group.title);
        let rows = harness::measure(group, out_dir, valgrind.is_some());
        let _ = writeln!(report, "{}", harness::table(group, &rows));
    }
    for matrix in matrices.iter().filter(|m| wanted(m.title)) {
        eprintln!("{}", matrix.title);
        let _ = writeln!(
            report,
            "{}",
            harness::matrix_tables(matrix, out_dir, valgrind.is_some())
        );
    }
    if wanted("Saga") {
        eprintln!("Saga: cost of the log");
        let _ = writeln!(report, "{}", saga::section(out_dir));
    }
    if wanted("Two-phase commit") {
        eprintln!("Two-phase commit: the price of agreement");
        let _ = writeln!(report, "{}", commit::section());
    }
    if wanted("Idempotent messaging") {
        eprintln!("Idempotent messaging: the price of exactly-once");
        let _ = writeln!(report, "{}", messaging::section(out_dir));
    }
    if wanted("Connection pool") {
        eprintln!("Connection pool: get and drop");
        let _ = writeln!(report, "{}", pool::section());
    }
    if wanted("State machine: compile time") {
        eprintln!("State machine: compile time");
        let _ = writeln!(report, "{}", compile_time::section(out_dir));
    }
    if wanted("Compile time") {
        eprintln!("Compile time: 200 annotated types");
        let _ = writeln!(report, "{}", compile_cost::section(out_dir));
    }
    let _ = writeln!(report, "{}", targets::section());
    if filter.is_empty() {
        let path = harness::repo_root().join("BENCHMARKS.md");
        std::fs::write(&path, report).expect("write BENCHMARKS.md");
        eprintln!("wrote {}", path.display());
    } else {
        println!("{report}");
    }
}
