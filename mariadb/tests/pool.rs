//! The connection pool against the MariaDB server of this machine
//! (`PATTERNKIT_MARIADB_URL`): queries through pooled connections, every server-side
//! connection killed mid-test (the pool recovers and no checkout hangs), and an unknown
//! database reported at once. Without a server these tests say why and pass; under `CI=true`
//! they fail.

use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use patternkit::mariadb::MariaDbManager;
use patternkit::pool::{Pool, PoolError};

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{mariadb_url, reachable};

async fn pool(max_size: usize) -> Option<Pool<MariaDbManager>> {
    let pool = Pool::builder(MariaDbManager::new(&mariadb_url()).unwrap())
        .max_size(max_size)
        .timeout(Duration::from_secs(5))
        .check_after(Duration::ZERO)
        .build()
        .unwrap();
    drop(reachable("MariaDB", pool.get().await)?);
    Some(pool)
}

async fn select_one(pool: &Pool<MariaDbManager>) -> Result<i64, String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    let one: Option<i64> = conn
        .query_first("SELECT 1")
        .await
        .map_err(|e| e.to_string())?;
    one.ok_or_else(|| "no row".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_connections_are_replaced_and_many_tasks_share_a_few() {
    let Some(pool) = pool(3).await else {
        return;
    };
    let mut ids = Vec::new();
    {
        let mut held = Vec::new();
        for _ in 0..3 {
            let conn = pool.get().await.unwrap();
            ids.push(conn.id());
            held.push(conn);
        }
    }
    let mut admin = mysql_async::Conn::new(mysql_async::Opts::from_url(&mariadb_url()).unwrap())
        .await
        .unwrap();
    for id in &ids {
        admin.query_drop(format!("KILL {id}")).await.unwrap();
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    assert_eq!(select_one(&pool).await, Ok(1));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let status = pool.status();
    assert!(status.size <= 3, "{status:?}");
    assert!(status.counters.closed_check_failed >= 3, "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_database_is_reported_at_once() {
    if pool(1).await.is_none() {
        return;
    }
    let wrong = Pool::builder(
        MariaDbManager::new("mysql://root@127.0.0.1:3306/pk_no_such_database").unwrap(),
    )
    .timeout(Duration::from_secs(30))
    .build()
    .unwrap();
    let started = Instant::now();
    let error = wrong.get().await.err().unwrap();
    assert!(matches!(error, PoolError::Create(_)), "{error}");
    assert!(error.to_string().contains("pk_no_such_database"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
