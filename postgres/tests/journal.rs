//! The PostgreSQL journal against the server on this machine: what every journal must do,
//! the saga crash proof on it, two processes racing for one run, a connection killed by the
//! server, and a server that cannot be reached.
//!
//! The server is `PATTERNKIT_POSTGRES_URL` (default `host=127.0.0.1 port=5432 user=postgres
//! dbname=test`). Without one these tests say why and pass; under `CI=true` they fail.

#[path = "../../tests/support/journal_conformance.rs"]
mod journal_conformance;
#[path = "../../tests/support/order_saga.rs"]
mod order_saga;

use std::sync::Arc;
use std::time::Duration;

use patternkit::postgres::PostgresJournal;
use patternkit::saga::{RetryPolicy, SagaError, SagaRunner};
use patternkit::store::{Journal, StoreError};

fn config() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

/// The journal, or `None` (with the reason printed) when there is no server outside CI.
async fn journal(application: &str) -> Option<PostgresJournal> {
    let config = format!("{} application_name={application}", config());
    match PostgresJournal::connect(&config).await {
        Ok(journal) => Some(journal),
        Err(error) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipped: no PostgreSQL at `{}`: {error}", self::config());
            None
        }
        Err(error) => panic!("CI needs PostgreSQL at `{}`: {error}", self::config()),
    }
}

/// A name no earlier run of these tests used, to share one database.
fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{what}-{}-{nanos}", std::process::id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conforms() {
    let Some(journal) = journal("pk-conform").await else {
        return;
    };
    journal_conformance::conforms(&journal, &unique("conform")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_at_every_write_ends_consistent_on_postgres() {
    let Some(journal) = journal("pk-crash").await else {
        return;
    };
    order_saga::crash_proof(Arc::new(journal), &unique("crash"), "PostgreSQL").await;
}

/// Two "processes" (two connections, two runtimes) start the same run at once: one runs
/// it, the other is told it is busy, and every step takes effect once.
#[test]
fn two_processes_never_both_run_one_saga() {
    let id = unique("race");
    let ledger = order_saga::ledger(&[]);
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let outcomes: Vec<Result<bool, String>> = (0..2)
        .map(|n| {
            let (id, ledger, barrier) = (id.clone(), Arc::clone(&ledger), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    let journal = journal(&format!("pk-race-{n}")).await;
                    barrier.wait();
                    let journal = journal.ok_or("no server")?;
                    let runner = SagaRunner::new(order_saga::OrderSaga { ledger }, journal)
                        .policy(RetryPolicy::immediate());
                    match runner.start(&id, order_saga::order()).await {
                        Ok(outcome) => Ok(outcome.is_completed()),
                        Err(SagaError::Busy { .. } | SagaError::AlreadyStarted { .. }) => Ok(false),
                        Err(other) => Err(other.to_string()),
                    }
                })
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .collect();
    if outcomes
        .iter()
        .any(|o| o.as_ref().is_err_and(|e| e == "no server"))
    {
        return;
    }
    let ran: Vec<bool> = outcomes.into_iter().map(Result::unwrap).collect();
    assert_eq!(ran.iter().filter(|r| **r).count(), 1, "{ran:?}");
    let ledger = ledger.lock().unwrap();
    for step in order_saga::FORWARD {
        assert_eq!(ledger.applied(step), 1, "{step}");
    }
    assert_eq!(ledger.calls.len(), 4, "{:?}", ledger.calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_killed_by_the_server_is_an_error_then_reconnects() {
    let application = unique("pk-killed");
    let Some(journal) = journal(&application).await else {
        return;
    };
    let stream = unique("killed");
    journal.append(&stream, "k", "before").await.unwrap();
    let admin = journal_admin().await;
    let killed = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&application],
        )
        .await
        .unwrap();
    assert_eq!(killed.len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A call that finds the connection dead connects again; one caught mid-way by the
    // kill fails with an error and stores nothing.
    let mut expected = vec!["before"];
    match journal.append(&stream, "k", "during").await {
        Ok(()) => expected.push("during"),
        Err(error) => assert!(
            matches!(&error, StoreError::Unavailable(m) if m.starts_with("PostgreSQL:")),
            "{error}"
        ),
    }
    journal.append(&stream, "k", "after").await.unwrap();
    expected.push("after");
    assert_eq!(journal.read(&stream, "k").await.unwrap(), expected);
}

async fn journal_admin() -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&config(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

#[tokio::test]
async fn a_server_that_cannot_be_reached_is_an_error() {
    let error = PostgresJournal::connect(
        "host=127.0.0.1 port=1 user=postgres dbname=test connect_timeout=2",
    )
    .await
    .err()
    .unwrap();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("PostgreSQL:")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_never_waits_for_transactions_writing_the_tables() {
    let Some(_first) = journal("journal-schema-first").await else {
        return;
    };
    // A transaction writes to the journal's table and stays open.
    let mut admin = journal_admin().await;
    let open = admin.transaction().await.unwrap();
    open.execute(
        "INSERT INTO patternkit_keys (stream, key) VALUES ($1, 'k')",
        &[&unique("schema")],
    )
    .await
    .unwrap();
    // Creating the schema again would queue behind it (and every writer behind that);
    // connecting only looks the tables up.
    let connected =
        tokio::time::timeout(Duration::from_secs(10), journal("journal-schema-second")).await;
    assert!(
        connected.is_ok(),
        "connecting waited for an open transaction on the journal's tables"
    );
    open.rollback().await.unwrap();
}
