//! An idempotent consumer, with no server: payments arrive from an in-process broker that
//! duplicates and redelivers; each takes effect on the balance in the same SQLite transaction
//! as its inbox row, and is acknowledged only after that commit — so every payment counts once.
//!
//! ```text
//! cargo run --example idempotent_consumer
//! ```

use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::messaging::{Broker, Consumer, Envelope, Faults, MemoryBroker, MessageId};
use patternkit::sqlite::rusqlite::Connection;
use patternkit::sqlite::{Handled, SqliteInbox};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let faults = Faults {
        duplicate: 300,
        lose_consumer_ack: 300,
        reorder: 300,
        ..Faults::default()
    };
    let broker = MemoryBroker::new()
        .with_faults(faults, 5)
        .redeliver_after(1);
    for n in 1..=10 {
        let id = MessageId::new(&format!("payment-{n}"))?;
        block_on(broker.publish(&Envelope::new(id, "account-1", &n.to_string())))?;
    }

    let mut db = Connection::open_in_memory()?;
    db.execute_batch("CREATE TABLE balance (total INTEGER); INSERT INTO balance VALUES (0);")?;
    // Ids are kept a week; the broker redelivers for at most a day.
    let week = Duration::from_secs(7 * 86_400);
    let inbox = SqliteInbox::new("billing", week, Duration::from_secs(86_400))?;
    inbox.install(&db)?;

    let mut consumer = Consumer::new(&broker, "billing").batch(4);
    let (mut applied, mut duplicates) = (0, 0);
    for round in 0..12 {
        if round == 3 {
            // The consumer's process restarts: it forgets what it handled; the inbox does not.
            consumer = Consumer::new(&broker, "billing").batch(4);
        }
        let polled = block_on(consumer.poll(|message: Envelope| {
            let handled = inbox.handle(&mut db, &message, |tx, m| {
                let amount: i64 = m.payload.parse().unwrap_or(0);
                tx.execute("UPDATE balance SET total = total + ?1", [amount])
            });
            match &handled {
                Ok(Handled::Applied(_)) => applied += 1,
                Ok(Handled::Duplicate) => duplicates += 1,
                Err(_) => {}
            }
            async move { handled.map(drop) }
        }))?;
        duplicates += polled.repeated;
    }
    let total: i64 = db.query_row("SELECT total FROM balance", [], |r| r.get(0))?;
    let counts = broker.counts();
    println!(
        "10 payments of 1..=10 delivered with {} duplicated and {} acknowledgements lost: \
         {applied} applied, {duplicates} deliveries recognised as done; balance {total} (1 + … + \
         10 = 55)",
        counts.duplicated, counts.lost_consumer_acks
    );
    assert_eq!(total, 55);
    Ok(())
}
