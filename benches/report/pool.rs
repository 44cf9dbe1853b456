//! The connection pool against deadpool, bb8, r2d2 and mobc, in the shapes of the public
//! async-pool benchmark (pool 8 or 16, 16 to 64 workers, a million get/drop cycles; a
//! contended variant yields once while holding), and `SELECT 1` per checkout on PostgreSQL
//! against deadpool-postgres and bb8-postgres.
//!
//! The peers build in their own crate (`benches/peers/pool`), kept out of the workspace. Each
//! shape runs every pool five times, interleaved, and keeps the median: absolute rates move
//! 2–3× between runs on a shared machine, ratios within one run do not.

// Counts of at most a few million, as floats.
#![allow(clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const POOLS: [&str; 5] = ["patternkit", "deadpool", "bb8", "r2d2", "mobc"];
const ROUNDS: usize = 5;

/// Builds the peers' crate; the path of its binary, or why not.
fn build() -> Result<PathBuf, String> {
    let dir = crate::harness::repo_root().join("benches/peers/pool");
    let output = Command::new("cargo")
        .args(["build", "--quiet", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .to_owned());
    }
    Ok(dir.join("target/release/pool-peers"))
}

/// Seconds `pool` takes for one run of a shape, or `None` if it failed.
fn once(binary: &Path, pool: &str, args: &[String]) -> Option<f64> {
    let output = Command::new(binary).arg(pool).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

/// Each pool's median rate (operations per second) over `ROUNDS` rounds, and the median
/// over the rounds of patternkit's rate over the fastest peer's in that round. Each round runs
/// every pool once, starting from a different one, so a slow spell of the machine falls on
/// all of them alike.
fn shape(
    binary: &Path,
    pools: &[&str],
    args: &[String],
    operations: f64,
) -> (Vec<Option<f64>>, Option<f64>) {
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); pools.len()];
    let mut leads = Vec::new();
    for round in 0..ROUNDS {
        let mut this: Vec<Option<f64>> = vec![None; pools.len()];
        for k in 0..pools.len() {
            let n = (round + k) % pools.len();
            this[n] = once(binary, pools[n], args).map(|s| operations / s);
        }
        for (n, rate) in this.iter().enumerate() {
            rates[n].extend(*rate);
        }
        leads.extend(lead(&this));
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        (!values.is_empty()).then(|| values[values.len() / 2])
    };
    (rates.into_iter().map(median).collect(), median(leads))
}

fn rate(value: Option<f64>, unit: f64) -> String {
    value.map_or_else(|| "failed".into(), |v| format!("{:.2}", v / unit))
}

/// patternkit's rate over the fastest peer's.
fn lead(rates: &[Option<f64>]) -> Option<f64> {
    let ours = rates.first().copied().flatten()?;
    let best = rates.iter().skip(1).flatten().copied().fold(0.0, f64::max);
    (best > 0.0).then(|| ours / best)
}

pub fn section() -> String {
    let total: usize = std::env::var("PK_BENCH_POOL_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut out = String::from("### Connection pool: get and drop\n\n");
    let binary = match build() {
        Ok(binary) => binary,
        Err(why) => {
            let _ = writeln!(out, "Not measured: the peers' crate did not build ({why}).");
            return out;
        }
    };
    let _ = writeln!(
        out,
        "The public async-pool benchmark's loop: workers (tokio tasks on two worker threads; \
         threads for r2d2, which blocks) share a pool of objects that cost nothing to create, \
         and check one out and drop it, {total} times in all; *contended* yields once while \
         holding it. Millions of get/drop per second, the median of {ROUNDS} rounds that each run \
         every pool once; the last column is the median over the rounds of patternkit's rate \
         over the fastest peer's in the same round.\n"
    );
    let _ = writeln!(
        out,
        "| pool, workers, shape | patternkit | deadpool 0.13 | bb8 0.9 | r2d2 0.8 | mobc 0.9 | patternkit ÷ fastest peer |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut worst: Option<f64> = None;
    for size in [8, 16] {
        for workers in [16, 32, 64] {
            for kind in ["plain", "contended"] {
                let args = [
                    size.to_string(),
                    workers.to_string(),
                    total.to_string(),
                    kind.to_string(),
                ];
                let each = total / workers * workers;
                let (rates, lead) = shape(&binary, &POOLS, &args, each as f64);
                if let Some(lead) = lead {
                    worst = Some(worst.map_or(lead, |w: f64| w.min(lead)));
                }
                let _ = writeln!(
                    out,
                    "| {size}, {workers}, {kind} | {} | {} | {} | {} | {} | {} |",
                    rate(rates[0], 1e6),
                    rate(rates[1], 1e6),
                    rate(rates[2], 1e6),
                    rate(rates[3], 1e6),
                    rate(rates[4], 1e6),
                    lead.map_or_else(|| "—".into(), |l| format!("{l:.2}")),
                );
            }
        }
    }
    if let Some(worst) = worst {
        crate::harness::record("pool_worst_lead", worst);
    }

    let queries: usize = 20_000;
    let _ = writeln!(
        out,
        "\n`SELECT 1` per checkout on PostgreSQL (this machine), pool of 16, {queries} queries; \
         thousands of queries per second, median of {ROUNDS}:\n\n| workers | patternkit \
         (`PostgresManager`) | deadpool-postgres 0.14 | bb8-postgres 0.9 | patternkit ÷ \
         fastest peer |\n| --- | ---: | ---: | ---: | ---: |"
    );
    for workers in [16, 64] {
        let args = [
            "16".to_string(),
            workers.to_string(),
            queries.to_string(),
            "postgres".to_string(),
        ];
        let each = queries / workers * workers;
        let (rates, lead) = shape(&binary, &POOLS[..3], &args, each as f64);
        let _ = writeln!(
            out,
            "| {workers} | {} | {} | {} | {} |",
            rate(rates[0], 1e3),
            rate(rates[1], 1e3),
            rate(rates[2], 1e3),
            lead.map_or_else(|| "—".into(), |l| format!("{l:.2}")),
        );
    }
    out
}
