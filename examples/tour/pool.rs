//! Connection pool: an embedded SQLite file shared by threads, through at most three
//! connections.

use patternkit::pool::Pool;
use patternkit::sqlite::SqliteManager;

pub fn run() {
    println!("Connection pool\n---------------");
    if let Err(error) = demo() {
        println!("  the demo could not run: {error}\n");
    }
}

fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::temp_dir().join(format!("patternkit-tour-pool-{}.db", std::process::id()));
    let pool = Pool::builder(SqliteManager::new(&file))
        .max_size(3)
        .build()?;
    pool.get_blocking()?
        .execute_batch("CREATE TABLE IF NOT EXISTS hits (n INTEGER)")?;
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                for n in 0..10 {
                    if let Ok(conn) = pool.get_blocking() {
                        let _ = conn.execute("INSERT INTO hits VALUES (?1)", [n]);
                    }
                }
            });
        }
    });
    let hits: i64 = pool
        .get_blocking()?
        .query_row("SELECT count(*) FROM hits", [], |row| row.get(0))?;
    let status = pool.status();
    println!(
        "  6 threads, 10 inserts each: {hits} rows through {} connections; {} checkouts waited \
         in line and were handed a returning connection.",
        status.size, status.counters.waited
    );
    println!("  Connections are created only when nothing idle or returning can serve the line.\n");
    drop(pool);
    let _ = std::fs::remove_file(&file);
    Ok(())
}
