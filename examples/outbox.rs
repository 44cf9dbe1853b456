//! The transactional outbox, with no server: an order and the event that announces it are
//! written in one SQLite transaction; a relay publishes the event afterwards to an in-process
//! broker that loses acknowledgements — and the broker still stores each event once.
//!
//! ```text
//! cargo run --example outbox
//! ```

use patternkit::cqrs::block_on;
use patternkit::messaging::{Broker, Faults, MemoryBroker};
use patternkit::sqlite::SqliteOutbox;
use patternkit::sqlite::rusqlite::Connection;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("pk-outbox-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("orders.db");
    let mut db = Connection::open(&file)?;
    db.execute_batch("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total INTEGER)")?;
    SqliteOutbox::install(&db)?;

    // The state change and its event commit together, or neither does.
    for (customer, total) in [("ada", 30), ("grace", 12), ("ada", 7)] {
        let tx = db.transaction()?;
        tx.execute(
            "INSERT INTO orders (customer, total) VALUES (?1, ?2)",
            (customer, total),
        )?;
        let payload = format!(r#"{{"customer":"{customer}","total":{total}}}"#);
        let id = SqliteOutbox::stage(&tx, "orders", customer, &payload, None)?;
        tx.commit()?;
        println!("order for {customer} committed with event {id}");
    }
    let failed = db.transaction()?;
    failed.execute(
        "INSERT INTO orders (customer, total) VALUES ('linus', 99)",
        [],
    )?;
    SqliteOutbox::stage(&failed, "orders", "linus", "{}", None)?;
    drop(failed); // rolled back: no order, and no event either

    // The relay: half of the broker's acknowledgements are lost, so it publishes again.
    let faults = Faults {
        lose_publish_ack: 500,
        ..Faults::default()
    };
    let broker = MemoryBroker::new().with_faults(faults, 11);
    let relay = SqliteOutbox::open(&file, "orders")?;
    let mut round = 0;
    while relay.lag()?.pending > 0 {
        round += 1;
        let relayed = block_on(relay.relay(&broker, 10))?;
        println!(
            "relay round {round}: {} published ({} the broker already had), {} to retry",
            relayed.published, relayed.duplicates, relayed.failed
        );
    }
    let delivered = block_on(broker.fetch("reader", 10))?;
    println!(
        "the broker holds {} events, each once, in order per customer:",
        broker.stored()
    );
    for delivery in delivered {
        let message = delivery.message()?;
        println!("  {} {} {}", message.id, message.key, message.payload);
    }
    println!("lag now: {:?}", relay.lag()?);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
