//! An idempotent CQRS command handler: the command carries the message it came from, and the
//! handler writes the inbox row for (consumer, message id) in its own database transaction with
//! the effect, so a redelivered message sent as a command again has no second effect.

use std::sync::Mutex;
use std::time::Duration;

use patternkit::cqrs::{Bus, Command, block_on, handlers};
use patternkit::messaging::{Broker, Consumer, Envelope, Faults, MemoryBroker, MessageId};
use patternkit::sqlite::rusqlite::Connection;
use patternkit::sqlite::{Handled, SqliteInbox};

/// Charge an account: the payload of a `payment` message.
#[derive(Command)]
#[command(output = bool, error = String)]
struct Charge {
    message: Envelope,
}

struct Billing {
    db: Mutex<Connection>,
    inbox: SqliteInbox,
}

#[handlers]
impl Billing {
    /// Returns whether the charge took effect now (`false`: it had before).
    #[command]
    fn charge(&self, command: Charge) -> Result<bool, String> {
        let mut db = self.db.lock().map_err(|e| e.to_string())?;
        let handled = self
            .inbox
            .handle(&mut db, &command.message, |tx, m| {
                let amount: i64 = m.payload.parse().unwrap_or(0);
                tx.execute("UPDATE account SET balance = balance + ?1", [amount])
            })
            .map_err(|e| e.to_string())?;
        Ok(matches!(handled, Handled::Applied(_)))
    }
}

#[derive(Bus)]
struct App {
    #[handles(Charge)]
    billing: Billing,
}

#[test]
fn a_redelivered_command_has_no_second_effect() {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("CREATE TABLE account (balance INTEGER); INSERT INTO account VALUES (0);")
        .unwrap();
    let inbox = SqliteInbox::new(
        "billing",
        Duration::from_secs(3_600),
        Duration::from_secs(600),
    )
    .unwrap();
    inbox.install(&db).unwrap();
    let app = App {
        billing: Billing {
            db: Mutex::new(db),
            inbox,
        },
    };
    let faults = Faults {
        duplicate: 500,
        lose_consumer_ack: 500,
        ..Faults::default()
    };
    let broker = MemoryBroker::new()
        .with_faults(faults, 23)
        .redeliver_after(1);
    for n in 1..=20 {
        let id = MessageId::new(&format!("payment-{n}")).unwrap();
        block_on(broker.publish(&Envelope::new(id, "account", "5"))).unwrap();
    }
    let mut applied = 0;
    for round in 0..30 {
        // The consumer restarts every few rounds: only the inbox remembers.
        let mut consumer = Consumer::new(&broker, "billing");
        let polled = block_on(consumer.poll(|message: Envelope| {
            let sent = block_on(app.send(Charge { message }));
            applied += usize::from(sent == Ok(true));
            async move { sent.map(drop) }
        }))
        .unwrap();
        if round > 10 && polled.handled == 0 && polled.repeated == 0 {
            break;
        }
    }
    let balance: i64 = app
        .billing
        .db
        .lock()
        .unwrap()
        .query_row("SELECT balance FROM account", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied, 20);
    assert_eq!(balance, 100, "20 payments of 5, each once");
    let counts = broker.counts();
    assert!(
        counts.duplicated > 0 && counts.lost_consumer_acks > 0,
        "{counts:?}"
    );
}
