//! The price of agreement: a transfer from an account in PostgreSQL to one in MariaDB done
//! three ways — two updates without coordination, a saga (debit with a compensation, then
//! credit), and two-phase commit — one at a time (latency) and many at once (throughput).
//!
//! Times, not instructions: the cost is round trips and durable writes. Both the saga and the
//! coordinator log to PostgreSQL (`PostgresJournal`, one connection).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use patternkit::commit::{Decision, Gid, TwoPhaseCommit};
use patternkit::saga::{RetryPolicy, SagaRunner, saga};
use patternkit_mariadb::MariaDbParticipant;
use patternkit_postgres::{PostgresJournal, PostgresParticipant};

/// Transfers at once in the throughput runs, each between its own pair of accounts.
const WORKERS: usize = 16;

fn postgres_url() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

fn mariadb_url() -> String {
    std::env::var("PATTERNKIT_MARIADB_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn table() -> String {
    format!("pk_bench_transfer_{}", std::process::id())
}

#[derive(Debug)]
pub struct DbError(String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn db(error: impl std::fmt::Display) -> DbError {
    DbError(error.to_string())
}

/// Connections for transfers without a coordinator: one PostgreSQL client per worker and a
/// MariaDB pool. The saga's steps use the same ones.
pub struct Banks {
    postgres: Vec<tokio_postgres::Client>,
    mariadb: mysql_async::Pool,
    table: String,
}

impl Banks {
    async fn connect() -> Result<Self, DbError> {
        let mut postgres = Vec::new();
        for _ in 0..WORKERS {
            let (client, connection) =
                tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
                    .await
                    .map_err(db)?;
            tokio::spawn(connection);
            postgres.push(client);
        }
        let opts = mysql_async::Opts::from_url(&mariadb_url()).map_err(db)?;
        Ok(Banks {
            postgres,
            mariadb: mysql_async::Pool::new(opts),
            table: table(),
        })
    }

    async fn open_accounts(&self) -> Result<(), DbError> {
        let t = &self.table;
        let rows: Vec<String> = (0..WORKERS)
            .map(|w| format!("('a{w}', 1000000000)"))
            .collect();
        self.postgres[0]
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS {t};
                 CREATE TABLE {t} (id TEXT PRIMARY KEY, balance BIGINT NOT NULL CHECK (balance >= 0));
                 INSERT INTO {t} VALUES {};",
                rows.join(", ")
            ))
            .await
            .map_err(db)?;
        let rows: Vec<String> = (0..WORKERS).map(|w| format!("('b{w}', 0)")).collect();
        let mut conn = self.mariadb.get_conn().await.map_err(db)?;
        conn.query_drop(format!(
            "DROP TABLE IF EXISTS {t};
             CREATE TABLE {t} (id VARCHAR(16) PRIMARY KEY, balance BIGINT NOT NULL) ENGINE = InnoDB;
             INSERT INTO {t} VALUES {};",
            rows.join(", ")
        ))
        .await
        .map_err(db)
    }

    async fn drop_accounts(&self) {
        let t = &self.table;
        let _ = self.postgres[0]
            .batch_execute(&format!("DROP TABLE IF EXISTS {t}"))
            .await;
        if let Ok(mut conn) = self.mariadb.get_conn().await {
            let _ = conn.query_drop(format!("DROP TABLE IF EXISTS {t}")).await;
        }
    }

    async fn debit(&self, worker: usize, amount: i64) -> Result<(), DbError> {
        let statement = format!(
            "UPDATE {} SET balance = balance - $1 WHERE id = $2",
            self.table
        );
        self.postgres[worker]
            .execute(&statement, &[&amount, &format!("a{worker}")])
            .await
            .map(drop)
            .map_err(db)
    }

    async fn credit(&self, worker: usize, amount: i64) -> Result<(), DbError> {
        let statement = format!(
            "UPDATE {} SET balance = balance + ? WHERE id = ?",
            self.table
        );
        let mut conn = self.mariadb.get_conn().await.map_err(db)?;
        conn.exec_drop(statement, (amount, format!("b{worker}")))
            .await
            .map_err(db)
    }

    /// The two updates, each committed on its own: no atomicity, the floor.
    async fn uncoordinated(&self, worker: usize) -> bool {
        self.debit(worker, 1).await.is_ok() && self.credit(worker, 1).await.is_ok()
    }
}

/// The transfer as a saga: the debit can be compensated, the credit is the pivot.
pub struct Transfer(Arc<Banks>);

#[saga(input = usize)]
impl Transfer {
    #[step(compensate = refund)]
    async fn debit(&self, input: &usize) -> Result<usize, DbError> {
        self.0.debit(*input, 1).await.map(|()| *input)
    }

    #[step(pivot)]
    async fn credit(&self, debit: usize) -> Result<(), DbError> {
        self.0.credit(debit, 1).await
    }

    async fn refund(&self, debit: usize) -> Result<(), DbError> {
        self.0.debit(debit, -1).await
    }
}

/// The transfer by two-phase commit over the two servers.
struct Coordinated {
    coordinator: TwoPhaseCommit<PostgresJournal>,
    north: PostgresParticipant,
    south: MariaDbParticipant,
    table: String,
}

impl Coordinated {
    async fn transfer(&self, worker: usize, n: usize) -> bool {
        let Ok(gid) = Gid::new(&format!("bench-{}-{worker}-{n}", std::process::id())) else {
            return false;
        };
        let t = &self.table;
        let staged = async {
            self.north.begin(&gid).await?;
            self.south.begin(&gid).await?;
            self.north
                .execute(
                    &gid,
                    &format!("UPDATE {t} SET balance = balance - 1 WHERE id = $1"),
                    &[&format!("a{worker}")],
                )
                .await?;
            self.south
                .execute(
                    &gid,
                    &format!("UPDATE {t} SET balance = balance + 1 WHERE id = ?"),
                    (format!("b{worker}"),),
                )
                .await
        };
        let _ = staged.await;
        let decision = self
            .coordinator
            .run(&gid, &[&self.north, &self.south])
            .await;
        decision == Ok(Decision::Commit)
    }
}

/// Mean time of `runs` transfers one after another, and the time of `WORKERS` × `each`
/// transfers run at once; panics if one fails.
async fn measure<F, Fut>(what: &str, runs: usize, each: usize, transfer: F) -> (Duration, Duration)
where
    F: Fn(usize, usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let started = Instant::now();
    for n in 0..runs {
        assert!(transfer(0, n).await, "{what}: transfer {n} failed");
    }
    let one = started.elapsed() / u32::try_from(runs).unwrap_or(u32::MAX);
    let started = Instant::now();
    let tasks: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let transfer = transfer.clone();
            tokio::spawn(async move {
                let mut ok = 0;
                for n in 0..each {
                    ok += usize::from(transfer(worker, runs + n).await);
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        ok += task.await.unwrap_or(0);
    }
    assert_eq!(
        ok,
        WORKERS * each,
        "{what}: not every transfer went through"
    );
    (one, started.elapsed())
}

async fn run_all(runs: usize, each: usize) -> Result<Vec<(&'static str, Duration, f64)>, DbError> {
    let banks = Arc::new(Banks::connect().await?);
    banks.open_accounts().await?;
    let mut rows = Vec::new();
    let total = f64::from(u32::try_from(WORKERS * each).unwrap_or(u32::MAX));
    let per_second = |d: Duration| total / d.as_secs_f64();

    let plain = Arc::clone(&banks);
    let (one, many) = measure("no coordination", runs, each, move |w, _| {
        let banks = Arc::clone(&plain);
        async move { banks.uncoordinated(w).await }
    })
    .await;
    rows.push((
        "two updates, no coordination (not atomic)",
        one,
        per_second(many),
    ));

    let journal = PostgresJournal::connect(&postgres_url())
        .await
        .map_err(db)?;
    let runner = Arc::new(
        SagaRunner::new(Transfer(Arc::clone(&banks)), journal).policy(RetryPolicy::immediate()),
    );
    let pid = std::process::id();
    let (one, many) = measure("saga", runs, each, move |w, n| {
        let runner = Arc::clone(&runner);
        async move {
            let outcome = runner.start(&format!("bench-{pid}-{w}-{n}"), w).await;
            outcome.is_ok_and(|o| o.is_completed())
        }
    })
    .await;
    rows.push(("saga, `PostgresJournal`", one, per_second(many)));

    let coordinated = Arc::new(Coordinated {
        coordinator: TwoPhaseCommit::new(
            PostgresJournal::connect(&postgres_url())
                .await
                .map_err(db)?,
        ),
        north: PostgresParticipant::connect("bench-north", &postgres_url())
            .await
            .map_err(db)?,
        south: MariaDbParticipant::connect("bench-south", &mariadb_url())
            .await
            .map_err(db)?,
        table: table(),
    });
    let (one, many) = measure("2PC", runs, each, move |w, n| {
        let coordinated = Arc::clone(&coordinated);
        async move { coordinated.transfer(w, n).await }
    })
    .await;
    rows.push(("two-phase commit, `PostgresJournal`", one, per_second(many)));
    banks.drop_accounts().await;
    Ok(rows)
}

pub fn section() -> String {
    let runs: usize = std::env::var("PK_BENCH_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let each = runs / WORKERS * 4;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut out = String::from("### Two-phase commit: the price of agreement\n\n");
    let _ = writeln!(
        out,
        "Moving 1 from an account in PostgreSQL to one in MariaDB (both on this machine): \
         the two updates each committed on its own (no atomicity: a crash between them loses \
         the money), as a saga (debit with a compensating refund, then credit; the log is \
         `PostgresJournal`), and by two-phase commit (`PostgresParticipant`, \
         `MariaDbParticipant`, the decision logged to `PostgresJournal`). Latency: the mean of \
         {runs} transfers one after another. Throughput: {WORKERS} transfers at once, each \
         between its own pair of accounts, {} in all, on a tokio runtime with two workers.\n",
        WORKERS * each
    );
    match runtime.block_on(run_all(runs, each)) {
        Ok(rows) => {
            let _ = writeln!(
                out,
                "| transfer | µs per transfer, one at a time | transfers per second, {WORKERS} at once |\n| --- | ---: | ---: |"
            );
            let floor = rows.first().map_or(1.0, |r| r.1.as_secs_f64());
            for (what, one, rate) in &rows {
                let _ = writeln!(
                    out,
                    "| {what} | {:.0} ({:.1}×) | {rate:.0} |",
                    one.as_secs_f64() * 1e6,
                    one.as_secs_f64() / floor
                );
            }
        }
        Err(error) => {
            let _ = writeln!(out, "Not measured: {error}.");
        }
    }
    out
}
