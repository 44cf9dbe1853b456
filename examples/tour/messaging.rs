//! Idempotent messaging: an outbox and an inbox in SQLite around an in-process broker that
//! duplicates and loses acknowledgements; every event takes effect once.

use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::messaging::{Consumer, Envelope, Faults, MemoryBroker};
use patternkit::sqlite::rusqlite::Connection;
use patternkit::sqlite::{SqliteInbox, SqliteOutbox};

pub fn run() {
    println!("Idempotent messaging\n--------------------");
    if let Err(error) = demo() {
        println!("  the demo could not run: {error}\n");
    }
}

fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("patternkit-tour-msg-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let orders_file = dir.join("orders.db");
    let mut orders = Connection::open(&orders_file)?;
    orders.execute_batch("CREATE TABLE IF NOT EXISTS orders (n INTEGER)")?;
    SqliteOutbox::install(&orders)?;
    for n in 0..5 {
        let tx = orders.transaction()?;
        tx.execute("INSERT INTO orders VALUES (?1)", [n])?;
        SqliteOutbox::stage(&tx, "orders", "shop", &n.to_string(), None)?;
        tx.commit()?;
    }
    let faults = Faults {
        lose_publish_ack: 300,
        duplicate: 300,
        lose_consumer_ack: 300,
        ..Faults::default()
    };
    let broker = MemoryBroker::new()
        .with_faults(faults, 9)
        .redeliver_after(1);
    let relay = SqliteOutbox::open(&orders_file, "orders")?;
    while relay.lag()?.pending > 0 {
        block_on(relay.relay(&broker, 10))?;
    }

    let mut billing = Connection::open_in_memory()?;
    billing.execute_batch("CREATE TABLE seen (n INTEGER)")?;
    let inbox = SqliteInbox::new(
        "billing",
        Duration::from_secs(3600),
        Duration::from_secs(600),
    )?;
    inbox.install(&billing)?;
    for _ in 0..4 {
        // A fresh consumer each round, as if its process restarted: only the inbox remembers.
        let mut consumer = Consumer::new(&broker, "billing");
        block_on(consumer.poll(|m: Envelope| {
            let done = inbox
                .handle(&mut billing, &m, |tx, m| {
                    tx.execute("INSERT INTO seen VALUES (?1)", [&m.payload])
                })
                .map(drop);
            async move { done }
        }))?;
    }
    let effects: i64 = billing.query_row("SELECT count(*) FROM seen", [], |r| r.get(0))?;
    let counts = broker.counts();
    println!(
        "  5 orders staged with their events; the relay retried {} lost acknowledgements and \
         the broker kept each event once; {} deliveries were duplicated and {} acknowledgements \
         lost on the way to billing, whose consumer restarted 4 times: {effects} effects.\n",
        counts.lost_publish_acks, counts.duplicated, counts.lost_consumer_acks
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
