//! The connection pool against the PostgreSQL server of this machine
//! (`PATTERNKIT_POSTGRES_URL`): queries through pooled connections, every server-side
//! connection killed with `pg_terminate_backend` mid-test (the pool recovers and no checkout
//! hangs), a wrong database reported at once with its cause, and a server that refuses
//! connections reported at the timeout with its cause. Without a server these tests say why
//! and pass; under `CI=true` they fail.

use std::time::{Duration, Instant};

use patternkit::pool::{Pool, PoolError};
use patternkit::postgres::PostgresManager;

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{postgres_url, reachable};

/// A pool on the server, or `None` outside CI without one.
async fn pool(max_size: usize, check_after: Duration) -> Option<Pool<PostgresManager>> {
    let pool = Pool::builder(PostgresManager::new(&postgres_url()))
        .max_size(max_size)
        .timeout(Duration::from_secs(5))
        .check_after(check_after)
        .build()
        .unwrap();
    drop(reachable("PostgreSQL", pool.get().await)?);
    Some(pool)
}

async fn select_one(pool: &Pool<PostgresManager>) -> Result<i32, String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    let row = client
        .query_one("SELECT 1", &[])
        .await
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_share_a_few_connections() {
    let Some(pool) = pool(4, Duration::from_millis(500)).await else {
        return;
    };
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for _ in 0..20 {
                    assert_eq!(select_one(&pool).await, Ok(1));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let status = pool.status();
    assert!(status.size <= 4, "{status:?}");
    assert!(status.counters.created <= 4, "{status:?}");
    assert_eq!(status.in_use, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_killed_by_the_server_are_replaced_and_no_checkout_hangs() {
    // Every idle connection is checked before use: a client may not have seen its socket
    // close yet when the next checkout comes.
    let Some(pool) = pool(4, Duration::ZERO).await else {
        return;
    };
    // Four connections open and idle, each knowing its backend pid.
    let held: Vec<_> = futures_all(&pool, 4).await;
    let pids: Vec<i32> = {
        let mut pids = Vec::new();
        for client in &held {
            pids.push(
                client
                    .query_one("SELECT pg_backend_pid()", &[])
                    .await
                    .unwrap()
                    .get(0),
            );
        }
        pids
    };
    drop(held);
    // The server kills them all.
    let (admin, connection) = tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    for pid in &pids {
        admin
            .execute("SELECT pg_terminate_backend($1)", &[pid])
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Every checkout still answers, quickly, with a working connection.
    let started = Instant::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { select_one(&pool).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Ok(1));
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let counters = pool.status().counters;
    assert!(
        counters.closed_broken + counters.closed_check_failed >= 4,
        "the dead ones were discarded: {counters:?}"
    );
}

async fn futures_all(
    pool: &Pool<PostgresManager>,
    n: usize,
) -> Vec<patternkit::pool::Pooled<'_, PostgresManager>> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(pool.get().await.unwrap());
    }
    held
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_database_is_reported_at_once_and_a_refusing_server_at_the_timeout() {
    if pool(1, Duration::from_millis(500)).await.is_none() {
        return;
    }
    let wrong = Pool::builder(PostgresManager::new(
        "host=127.0.0.1 port=5432 user=postgres dbname=pk_no_such_database",
    ))
    .timeout(Duration::from_secs(30))
    .build()
    .unwrap();
    let started = Instant::now();
    let error = wrong.get().await.err().unwrap();
    assert!(matches!(error, PoolError::Create(_)), "{error}");
    assert!(error.to_string().contains("pk_no_such_database"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not after the 30 s timeout"
    );

    // Nothing listens on port 1 of this machine: refused, retried until the timeout.
    let refused = Pool::builder(PostgresManager::new("host=127.0.0.1 port=1 user=postgres"))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = refused.get().await.err().unwrap();
    let PoolError::Timeout { cause, .. } = &error else {
        panic!("expected a timeout, got {error}");
    };
    assert!(cause.as_deref().is_some_and(|c| !c.is_empty()), "{error}");
    assert_eq!(refused.status().creating, 0);
}
