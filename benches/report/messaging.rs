//! The price of exactly-once effects: messages through NATS JetStream from a producer to a
//! consumer that records each one in a database, with and without the outbox and the inbox,
//! on SQLite and on PostgreSQL.
//!
//! Without: the producer publishes directly, the consumer inserts the effect on its own and
//! acknowledges. With: the producer stages each message in a transaction with a state row
//! (the outbox), a relay publishes, and the consumer writes the inbox row and the effect in one
//! transaction before acknowledging. Times, not instructions: the cost is round trips and
//! durable commits.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use patternkit::messaging::{Broker, Consumer, Envelope, MessageId};
use patternkit::sqlite::rusqlite::Connection;
use patternkit::sqlite::{SqliteInbox, SqliteOutbox};
use patternkit_nats::{NatsBroker, StreamConfig};
use patternkit_postgres::{PostgresInbox, PostgresOutbox, install_messaging};

const MESSAGES: usize = 2_000;

fn nats_url() -> String {
    std::env::var("PATTERNKIT_NATS_URL").unwrap_or_else(|_| "127.0.0.1:4222".into())
}

fn postgres_url() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "PKB_{what}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000
    )
}

async fn stream(what: &str) -> Result<NatsBroker, String> {
    let name = unique(what);
    let subject = format!("pk.bench.{}", name.to_lowercase());
    NatsBroker::connect_with(&nats_url(), &name, &subject, StreamConfig::default())
        .await
        .map_err(|e| e.to_string())
}

/// Drains `consumer` until `expected` messages were handled by `handle`.
async fn drain<B: Broker, F, Fut>(consumer: &mut Consumer<B>, expected: usize, mut handle: F)
where
    F: FnMut(Envelope) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut handled = 0;
    let mut idle = 0;
    while handled < expected && idle < 50 {
        match consumer.poll(&mut handle).await {
            Ok(polled) if polled.handled > 0 => {
                handled += polled.handled;
                idle = 0;
            }
            _ => idle += 1,
        }
    }
}

async fn sqlite_plain(dir: &std::path::Path) -> Result<Duration, String> {
    let broker = stream("plain_sqlite").await?;
    let db = Connection::open(dir.join("plain.db")).map_err(|e| e.to_string())?;
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE effects (id TEXT)",
    )
    .map_err(|e| e.to_string())?;
    let started = Instant::now();
    for n in 0..MESSAGES {
        let id = MessageId::new(&format!("m-{n}")).map_err(|e| e.to_string())?;
        broker
            .publish(&Envelope::new(id, "k", "{}"))
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut consumer = Consumer::new(&broker, "plain").batch(100);
    drain(&mut consumer, MESSAGES, |m: Envelope| {
        let done = db
            .execute("INSERT INTO effects VALUES (?1)", [m.id.as_str()])
            .map(drop)
            .map_err(|e| e.to_string());
        async move { done }
    })
    .await;
    let took = started.elapsed();
    let _ = broker.delete_stream().await;

    Ok(took)
}

async fn sqlite_exactly_once(dir: &std::path::Path) -> Result<Duration, String> {
    let broker = stream("once_sqlite").await?;
    let file = dir.join("orders.db");
    let mut orders = Connection::open(&file).map_err(|e| e.to_string())?;
    orders
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE orders (n INTEGER)",
        )
        .map_err(|e| e.to_string())?;
    SqliteOutbox::install(&orders).map_err(|e| e.to_string())?;
    let mut billing = Connection::open(dir.join("billing.db")).map_err(|e| e.to_string())?;
    billing
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE effects (id TEXT)",
        )
        .map_err(|e| e.to_string())?;
    let inbox = SqliteInbox::new(
        "billing",
        Duration::from_secs(600),
        Duration::from_secs(120),
    )
    .map_err(|e| e.to_string())?;
    inbox.install(&billing).map_err(|e| e.to_string())?;
    let relay = SqliteOutbox::open(&file, "orders").map_err(|e| e.to_string())?;
    let started = Instant::now();
    for n in 0..MESSAGES {
        let tx = orders.transaction().map_err(|e| e.to_string())?;
        tx.execute("INSERT INTO orders VALUES (?1)", [n])
            .map_err(|e| e.to_string())?;
        SqliteOutbox::stage(&tx, "orders", "k", "{}", None).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
    }
    while relay.lag().map_err(|e| e.to_string())?.pending > 0 {
        relay.relay(&broker, 500).await.map_err(|e| e.to_string())?;
    }
    let mut consumer = Consumer::new(&broker, "once").batch(100);
    drain(&mut consumer, MESSAGES, |m: Envelope| {
        let done = inbox
            .handle(&mut billing, &m, |tx, m| {
                tx.execute("INSERT INTO effects VALUES (?1)", [m.id.as_str()])
            })
            .map(drop)
            .map_err(|e| e.to_string());
        async move { done }
    })
    .await;
    let took = started.elapsed();
    let _ = broker.delete_stream().await;
    Ok(took)
}

async fn postgres(exactly_once: bool) -> Result<Duration, String> {
    let broker = stream(if exactly_once { "once_pg" } else { "plain_pg" }).await?;
    let (mut db, connection) = tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    install_messaging(&db).await.map_err(|e| e.to_string())?;
    let effects = unique("effects").to_lowercase();
    let outbox = unique("outbox").to_lowercase();
    db.batch_execute(&format!(
        "CREATE TABLE {effects} (id TEXT); CREATE TABLE {effects}_orders (n INTEGER);"
    ))
    .await
    .map_err(|e| e.to_string())?;
    let started = Instant::now();
    if exactly_once {
        let relay = PostgresOutbox::connect(&postgres_url(), &outbox)
            .await
            .map_err(|e| e.to_string())?;
        for n in 0..MESSAGES {
            let tx = db.transaction().await.map_err(|e| e.to_string())?;
            let n = i32::try_from(n).unwrap_or(0);
            tx.execute(&format!("INSERT INTO {effects}_orders VALUES ($1)"), &[&n])
                .await
                .map_err(|e| e.to_string())?;
            PostgresOutbox::stage(&tx, &outbox, "k", "{}", None)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
        }
        while relay.pending().await.map_err(|e| e.to_string())? > 0 {
            relay.relay(&broker, 500).await.map_err(|e| e.to_string())?;
        }
    } else {
        for n in 0..MESSAGES {
            let id = MessageId::new(&format!("m-{n}")).map_err(|e| e.to_string())?;
            broker
                .publish(&Envelope::new(id, "k", "{}"))
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let inbox = PostgresInbox::new(&outbox, Duration::from_secs(600), Duration::from_secs(120))
        .map_err(|e| e.to_string())?;
    let db = std::sync::Arc::new(tokio::sync::Mutex::new(db));
    let mut consumer = Consumer::new(&broker, "reader").batch(100);
    drain(&mut consumer, MESSAGES, |m: Envelope| {
        let db = std::sync::Arc::clone(&db);
        let (inbox, effects) = (&inbox, &effects);
        async move {
            let mut db = db.lock().await;
            let insert = format!("INSERT INTO {effects} VALUES ($1)");
            if exactly_once {
                let tx = db.transaction().await.map_err(|e| e.to_string())?;
                if inbox.accept(&tx, &m).await.map_err(|e| e.to_string())? {
                    tx.execute(&insert, &[&m.id.as_str()])
                        .await
                        .map_err(|e| e.to_string())?;
                }
                tx.commit().await.map_err(|e| e.to_string())
            } else {
                db.execute(&insert, &[&m.id.as_str()])
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        }
    })
    .await;
    let took = started.elapsed();
    let db = db.lock().await;
    let _ = db
        .batch_execute(&format!(
            "DROP TABLE {effects}; DROP TABLE {effects}_orders;"
        ))
        .await;
    let _ = broker.delete_stream().await;
    Ok(took)
}

fn rate(took: &Result<Duration, String>) -> String {
    match took {
        Ok(d) => format!(
            "{:.0}",
            f64::from(u32::try_from(MESSAGES).unwrap_or(u32::MAX)) / d.as_secs_f64()
        ),
        Err(why) => format!("not measured: {why}"),
    }
}

pub fn section(out_dir: &std::path::Path) -> String {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = out_dir.join("messaging-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let (sqlite_plain, sqlite_once, pg_plain, pg_once) = runtime.block_on(async {
        (
            sqlite_plain(&dir).await,
            sqlite_exactly_once(&dir).await,
            postgres(false).await,
            postgres(true).await,
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = String::from("### Idempotent messaging: the price of exactly-once\n\n");
    let _ = writeln!(
        out,
        "{MESSAGES} messages from a producer to a consumer through NATS JetStream (this \
         machine), one after another, the consumer recording each in its database (durable \
         commits). *At least once*: published directly, the effect inserted on its own, then \
         acknowledged. *Exactly-once effects*: each message staged in the producer's \
         transaction with its state row (outbox), relayed, and recorded with its inbox row in \
         one transaction before the acknowledgement. Messages per second, end to end.\n"
    );
    let _ = writeln!(
        out,
        "| database | at least once | exactly-once effects (outbox + inbox) |\n| --- | ---: | ---: |"
    );
    let _ = writeln!(
        out,
        "| SQLite (file) | {} | {} |",
        rate(&sqlite_plain),
        rate(&sqlite_once)
    );
    let _ = writeln!(
        out,
        "| PostgreSQL | {} | {} |",
        rate(&pg_plain),
        rate(&pg_once)
    );
    out
}
