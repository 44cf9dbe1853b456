//! A connection pool, with no server: an embedded SQLite database shared by threads, then a
//! fake server that prints what the pool asks of it, to show lazy growth under a spike and
//! how failures are reported.
//!
//! ```text
//! cargo run --example connection_pool
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use patternkit::pool::{Failure, Manager, Pool, PoolFuture};
use patternkit::sqlite::SqliteManager;

/// A server that takes 150 ms to accept a connection, and says so.
struct Slow {
    opened: AtomicUsize,
    password_ok: bool,
}

impl Manager for Slow {
    type Connection = usize;
    type Error = String;

    fn create(&self) -> PoolFuture<'_, Result<usize, String>> {
        Box::pin(async move {
            if !self.password_ok {
                println!("  server: password authentication failed");
                return Err("password authentication failed for user \"app\"".into());
            }
            let n = self.opened.fetch_add(1, Ordering::SeqCst) + 1;
            println!("  server: opening connection #{n} (150 ms)");
            patternkit::time::sleep(Duration::from_millis(150)).await;
            Ok(n)
        })
    }

    fn check<'a>(&'a self, _: &'a mut usize) -> PoolFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    fn classify(&self, error: &String) -> Failure {
        if error.contains("password") {
            Failure::Permanent
        } else {
            Failure::Transient
        }
    }
}

fn sqlite() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::temp_dir().join(format!("pk-pool-example-{}.db", std::process::id()));
    let pool = Pool::builder(SqliteManager::new(&file))
        .max_size(3)
        .build()?;
    pool.get_blocking()?
        .execute_batch("CREATE TABLE IF NOT EXISTS visits (thread INTEGER, n INTEGER)")?;
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let pool = &pool;
            scope.spawn(move || {
                for n in 0..25 {
                    let conn = pool.get_blocking().expect("a connection");
                    conn.execute("INSERT INTO visits VALUES (?1, ?2)", (thread, n))
                        .expect("an insert");
                }
            });
        }
    });
    let rows: i64 = pool
        .get_blocking()?
        .query_row("SELECT count(*) FROM visits", [], |row| row.get(0))?;
    let status = pool.status();
    println!(
        "SQLite: 8 threads inserted {rows} rows through {} connections ({} created, {} \
         checkouts waited)",
        status.size, status.counters.created, status.counters.waited
    );
    drop(pool);
    let _ = std::fs::remove_file(&file);
    Ok(())
}

fn spike() -> Result<(), Box<dyn std::error::Error>> {
    println!("\nA spike: 20 requests at once, 2 ms each, against 2 warm connections (max 20):");
    let pool = Pool::builder(Slow {
        opened: AtomicUsize::new(0),
        password_ok: true,
    })
    .max_size(20)
    .min_idle(2)
    .build()?;
    patternkit::cqrs::block_on(pool.warm_up())?;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..20 {
            scope.spawn(|| {
                let conn = pool.get_blocking().expect("a connection");
                std::thread::sleep(Duration::from_millis(2));
                drop(conn);
            });
        }
    });
    let status = pool.status();
    println!(
        "  all served in {:?}; the pool holds {} connections: returning ones served the line \
         while one new connection was opened",
        started.elapsed(),
        status.size
    );
    Ok(())
}

fn failure() -> Result<(), Box<dyn std::error::Error>> {
    println!("\nA wrong password is reported at once, not after the 30 s timeout:");
    let pool = Pool::builder(Slow {
        opened: AtomicUsize::new(0),
        password_ok: false,
    })
    .build()?;
    let started = Instant::now();
    match pool.get_blocking() {
        Ok(_) => println!("  unexpectedly connected"),
        Err(error) => println!("  after {:?}: {error}", started.elapsed()),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    sqlite()?;
    spike()?;
    failure()
}
