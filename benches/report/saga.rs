//! Sagas: what the log costs per step (in memory, SQLite, PostgreSQL) against the same steps
//! called by hand, steno (Oxide's saga engine) on the same saga, and the throughput of
//! 10 000 sagas run at once on SQLite and PostgreSQL.
//!
//! Times, not instructions: the cost is I/O and scheduling. steno is built and run from its
//! own crate (`benches/peers/saga`), so it stays out of the workspace's build.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use patternkit::saga::{RetryPolicy, SagaRunner, saga};
use patternkit::sqlite::SqliteJournal;
use patternkit::store::{Journal, MemoryJournal};
use patternkit_postgres::PostgresJournal;

#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

/// Four steps that each return a number: the saga every engine runs.
pub struct Four;

#[saga(input = u64)]
impl Four {
    #[step(compensate = undo)]
    async fn first(&self, input: &u64) -> Result<u64, Never> {
        Ok(std::hint::black_box(*input + 1))
    }

    #[step(compensate = undo)]
    async fn second(&self, first: u64) -> Result<u64, Never> {
        Ok(std::hint::black_box(first + 1))
    }

    #[step(compensate = undo)]
    async fn third(&self, second: u64) -> Result<u64, Never> {
        Ok(std::hint::black_box(second + 1))
    }

    #[step(pivot)]
    async fn fourth(&self, third: u64) -> Result<u64, Never> {
        Ok(std::hint::black_box(third + 1))
    }

    async fn undo(&self) -> Result<(), Never> {
        Ok(())
    }
}

/// The same four steps, called one after the other.
async fn by_hand(saga: &Four, input: u64) -> u64 {
    let first = saga.first(&input).await.unwrap_or(0);
    let second = saga.second(first).await.unwrap_or(0);
    let third = saga.third(second).await.unwrap_or(0);
    saga.fourth(third).await.unwrap_or(0)
}

fn postgres_config() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

fn run_id(what: &str, n: usize) -> String {
    format!("{what}-{}-{n}", std::process::id())
}

/// Mean time of one saga over `runs` sequential runs on `journal`.
async fn sequential<J: Journal>(journal: J, what: &str, runs: usize) -> Duration {
    let runner = SagaRunner::new(Four, journal).policy(RetryPolicy::immediate());
    let started = Instant::now();
    for n in 0..runs {
        let outcome = runner.start(&run_id(what, n), 1).await;
        assert!(outcome.is_ok_and(|o| o.is_completed()), "{what} failed");
    }
    started.elapsed() / u32::try_from(runs).unwrap_or(u32::MAX)
}

/// Wall time of `count` sagas started at once on a runtime with two workers.
async fn concurrent<J: Journal + 'static>(journal: J, what: &str, count: usize) -> Duration {
    let runner = Arc::new(SagaRunner::new(Four, journal).policy(RetryPolicy::immediate()));
    let started = Instant::now();
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let runner = Arc::clone(&runner);
            let id = run_id(what, n);
            tokio::spawn(async move { runner.start(&id, 1).await.is_ok_and(|o| o.is_completed()) })
        })
        .collect();
    let mut completed = 0;
    for task in tasks {
        completed += usize::from(task.await.unwrap_or(false));
    }
    assert_eq!(completed, count, "{what}: not every saga completed");
    started.elapsed()
}

fn micros(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

/// steno on the same saga, from its own crate: mean µs per saga, or why not.
fn steno(runs: usize) -> Result<f64, String> {
    let manifest = crate::harness::repo_root().join("benches/peers/saga/Cargo.toml");
    let output = std::process::Command::new("cargo")
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .arg(runs.to_string())
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .to_owned());
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse::<f64>()
        .map_err(|e| e.to_string())
}

pub fn section(out_dir: &Path) -> String {
    let sagas: usize = std::env::var("PK_BENCH_SAGAS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = out_dir.join("saga-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let postgres = runtime
        .block_on(PostgresJournal::connect(&postgres_config()))
        .ok();

    let (hand, memory, sqlite, pg) = costs(&runtime, &dir, postgres.is_some());
    let steno = steno(2_000);

    let mut out = String::from("### Saga: cost of the log\n\n");
    let _ = writeln!(
        out,
        "A saga of four steps that each return a number, run to completion one after another; \
         the mean time of one saga, and per step what the engine adds to calling the four steps \
         by hand. Each step's start and completion is logged (durably on SQLite and \
         PostgreSQL: one committed write each). steno runs the same four actions with its \
         in-memory store.\n"
    );
    let _ = writeln!(
        out,
        "| engine | µs per saga | µs added per step |\n| --- | ---: | ---: |"
    );
    let per_step = |d: Duration| micros(d.saturating_sub(hand) / 4);
    let _ = writeln!(
        out,
        "| the four steps called by hand | {} | — |",
        micros(hand)
    );
    let _ = writeln!(
        out,
        "| patternkit, `MemoryJournal` | {} | {} |",
        micros(memory),
        per_step(memory)
    );
    crate::harness::record(
        "saga_memory_step_us",
        (memory.saturating_sub(hand) / 4).as_secs_f64() * 1e6,
    );
    match &steno {
        Ok(us) => {
            let _ = writeln!(
                out,
                "| steno 0.5, in-memory store | {us:.1} | {:.1} |",
                (us - hand.as_secs_f64() * 1e6) / 4.0
            );
            crate::harness::record("saga_steno_step_us", (us - hand.as_secs_f64() * 1e6) / 4.0);
        }
        Err(why) => {
            let _ = writeln!(out, "| steno 0.5 | not measured: {why} | — |");
        }
    }
    if let Some(d) = sqlite {
        let _ = writeln!(
            out,
            "| patternkit, `SqliteJournal` (file) | {} | {} |",
            micros(d),
            per_step(d)
        );
    }
    match pg {
        Some(d) => {
            let _ = writeln!(
                out,
                "| patternkit, `PostgresJournal` | {} | {} |",
                micros(d),
                per_step(d)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| patternkit, `PostgresJournal` | no server at `{}` | — |",
                postgres_config()
            );
        }
    }

    out.push_str(&throughput(&runtime, &dir, postgres.is_some(), sagas));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// `sagas` run at once on SQLite and PostgreSQL: the table of their throughput.
fn throughput(
    runtime: &tokio::runtime::Runtime,
    dir: &Path,
    postgres: bool,
    sagas: usize,
) -> String {
    let mut out = String::new();
    let (sqlite_many, pg_many) = runtime.block_on(async {
        let sqlite = match SqliteJournal::open(dir.join("concurrent.db")) {
            Ok(journal) => Some(concurrent(journal, "sqlite-many", sagas).await),
            Err(_) => None,
        };
        let pg = if postgres {
            match PostgresJournal::connect(&postgres_config()).await {
                Ok(journal) => Some(concurrent(journal, "pg-many", sagas).await),
                Err(_) => None,
            }
        } else {
            None
        };
        (sqlite, pg)
    });
    let _ = writeln!(
        out,
        "\n{sagas} sagas started at once on a tokio runtime with two workers, sharing one \
         journal (one connection):\n\n| journal | seconds | sagas per second |\n| --- | ---: | ---: |"
    );
    for (label, result) in [("SQLite (file)", sqlite_many), ("PostgreSQL", pg_many)] {
        if let Some(d) = result {
            #[allow(clippy::cast_precision_loss)]
            let rate = sagas as f64 / d.as_secs_f64();
            let _ = writeln!(out, "| {label} | {:.2} | {rate:.0} |", d.as_secs_f64());
        }
    }
    out
}

/// One saga at a time: by hand, and on each journal.
fn costs(
    runtime: &tokio::runtime::Runtime,
    dir: &Path,
    postgres: bool,
) -> (Duration, Duration, Option<Duration>, Option<Duration>) {
    runtime.block_on(async {
        let runs = 20_000;
        let started = Instant::now();
        for n in 0..runs {
            std::hint::black_box(by_hand(&Four, n).await);
        }
        let hand = started.elapsed() / u32::try_from(runs).unwrap_or(1);
        let memory = sequential(MemoryJournal::new(), "memory", 5_000).await;
        let sqlite = match SqliteJournal::open(dir.join("sequential.db")) {
            Ok(journal) => Some(sequential(journal, "sqlite", 300).await),
            Err(_) => None,
        };
        let pg = if postgres {
            match PostgresJournal::connect(&postgres_config()).await {
                Ok(journal) => Some(sequential(journal, "pg", 300).await),
                Err(_) => None,
            }
        } else {
            None
        };
        (hand, memory, sqlite, pg)
    })
}
