//! Exactly-once effects over an at-least-once broker, checked on long randomised histories:
//! orders staged in an outbox with their state change, relayed through an in-process broker
//! that loses acknowledgements, duplicates, reorders, delays and crashes, and consumed through
//! an inbox — with the consumer killed between its commit and its acknowledgement and
//! restarted, and the relay restarted. Every message id must take effect exactly once, and
//! nothing acknowledged may be missing. `PK_MESSAGING_SEED` replays a run.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::messaging::{Broker, Consumer, Envelope, Faults, MemoryBroker, MessageId};
use patternkit::sqlite::rusqlite::{Connection, TransactionBehavior};
use patternkit::sqlite::{Handled, SqliteInbox, SqliteOutbox};

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pk-messaging-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The consumer's side: effects and the inbox in one database.
fn consumer_db(path: &std::path::Path, inbox: &SqliteInbox) -> Connection {
    let db = Connection::open(path).unwrap();
    db.busy_timeout(Duration::from_secs(5)).unwrap();
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS effects (id TEXT NOT NULL, key TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS totals (key TEXT PRIMARY KEY, n INTEGER NOT NULL);",
    )
    .unwrap();
    inbox.install(&db).unwrap();
    db
}

struct Run {
    messages: usize,
    faults: u64,
    suppressed_by_broker: u64,
    suppressed_by_inbox: usize,
    consumer_kills: usize,
}

/// Every staged id took effect exactly once, and nothing else did.
fn check_exactly_once(billing: &Connection, staged: &[MessageId], seed: u64) {
    let mut effects: BTreeMap<String, usize> = BTreeMap::new();
    let mut select = billing.prepare("SELECT id FROM effects").unwrap();
    for id in select.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        *effects.entry(id.unwrap()).or_default() += 1;
    }
    for id in staged {
        let times = effects.get(id.as_str());
        assert_eq!(
            times,
            Some(&1),
            "seed {seed}: {id} took effect {times:?} times"
        );
    }
    assert_eq!(
        effects.len(),
        staged.len(),
        "seed {seed}: effects of unknown ids"
    );
}

/// One poll of the consumer, whose handler records the effect with the inbox; with
/// `kill_after_commit`, the process dies after its first commit, before acknowledging.
/// Returns (suppressed by the inbox, killed).
fn consume_once(
    consumer: &mut Consumer<Arc<MemoryBroker>>,
    inbox: &SqliteInbox,
    billing: &mut Connection,
    kill_after_commit: bool,
    seed: u64,
) -> (usize, bool) {
    let mut suppressed = 0;
    let mut killed = false;
    let polled = block_on(consumer.poll(|message: Envelope| {
        let result = if killed {
            Err("dead".to_string())
        } else {
            let handled = inbox
                .handle(billing, &message, |tx, m| {
                    tx.execute(
                        "INSERT INTO effects (id, key) VALUES (?1, ?2)",
                        (m.id.as_str(), &m.key),
                    )?;
                    tx.execute(
                        "INSERT INTO totals (key, n) VALUES (?1, 1)
                         ON CONFLICT (key) DO UPDATE SET n = n + 1",
                        [&m.key],
                    )?;
                    Ok::<(), patternkit::sqlite::rusqlite::Error>(())
                })
                .map_err(|e| e.to_string());
            match handled {
                Ok(Handled::Duplicate) => {
                    suppressed += 1;
                    Ok(())
                }
                Ok(Handled::Applied(())) if kill_after_commit => {
                    killed = true;
                    Err("killed after commit".to_string())
                }
                Ok(Handled::Applied(())) => Ok(()),
                Err(e) => Err(e),
            }
        };
        async move { result }
    }));
    if let Ok(polled) = polled {
        assert!(
            polled.rejected.is_empty(),
            "seed {seed}: {:?}",
            polled.rejected
        );
    }
    (suppressed, killed)
}

fn history(seed: u64, messages: usize) -> Run {
    let dir = temp(&seed.to_string());
    let mut random = Random(seed | 1);
    let broker = Arc::new(
        MemoryBroker::new()
            .with_faults(Faults::all(80), seed)
            .redeliver_after(2),
    );
    // The producing service: orders and their outbox in one file.
    let orders_path = dir.join("orders.db");
    let mut orders = Connection::open(&orders_path).unwrap();
    orders.busy_timeout(Duration::from_secs(5)).unwrap();
    orders
        .execute_batch("CREATE TABLE orders (id INTEGER PRIMARY KEY, key TEXT, amount INTEGER)")
        .unwrap();
    SqliteOutbox::install(&orders).unwrap();
    let mut relay = SqliteOutbox::open(&orders_path, "orders")
        .unwrap()
        .max_attempts(1_000);

    let inbox =
        SqliteInbox::new("billing", Duration::from_secs(600), Duration::from_secs(60)).unwrap();
    let mut billing = consumer_db(&dir.join("billing.db"), &inbox);
    let mut consumer = Consumer::new(Arc::clone(&broker), "billing").batch(16);

    let mut staged: Vec<MessageId> = Vec::new();
    let mut suppressed_by_inbox = 0;
    let mut consumer_kills = 0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(
            rounds < 20_000,
            "seed {seed}: the history does not converge"
        );
        // Stage a few orders, each with its event, in one transaction.
        if staged.len() < messages {
            for _ in 0..=random.below(4) {
                if staged.len() == messages {
                    break;
                }
                let key = format!("customer-{}", random.below(7));
                let tx = orders
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .unwrap();
                tx.execute(
                    "INSERT INTO orders (key, amount) VALUES (?1, ?2)",
                    (&key, staged.len()),
                )
                .unwrap();
                let id = SqliteOutbox::stage(&tx, "orders", &key, &staged.len().to_string(), None)
                    .unwrap();
                tx.commit().unwrap();
                staged.push(id);
            }
        }
        // The relay runs, and now and then its process restarts.
        if random.below(10) == 0 {
            relay = SqliteOutbox::open(&orders_path, "orders")
                .unwrap()
                .max_attempts(1_000);
        }
        block_on(relay.relay(&*broker, 1 + usize::try_from(random.below(8)).unwrap())).unwrap();
        // The consumer polls; now and then it dies between a commit and the ack, and restarts
        // with nothing in memory.
        let (suppressed, killed) = consume_once(
            &mut consumer,
            &inbox,
            &mut billing,
            random.below(8) == 0,
            seed,
        );
        suppressed_by_inbox += suppressed;
        if killed {
            consumer_kills += 1;
            consumer = Consumer::new(Arc::clone(&broker), "billing").batch(16);
        }
        let lag = relay.lag().unwrap();
        let done: i64 = billing
            .query_row("SELECT count(DISTINCT id) FROM effects", [], |r| r.get(0))
            .unwrap();
        if staged.len() == messages
            && lag.pending == 0
            && usize::try_from(done).unwrap() == messages
        {
            break;
        }
    }
    check_exactly_once(&billing, &staged, seed);
    // Nothing the broker recorded as acknowledged lacks its effect.
    assert!(broker.acked("billing").len() <= messages);
    let counts = broker.counts();
    let faults = counts.lost_publish_acks
        + counts.lost_consumer_acks
        + counts.duplicated
        + counts.reordered
        + counts.delayed
        + counts.crashes;
    let _ = std::fs::remove_dir_all(&dir);
    Run {
        messages,
        faults,
        suppressed_by_broker: counts.duplicates_suppressed,
        suppressed_by_inbox,
        consumer_kills,
    }
}

#[test]
fn every_message_takes_effect_exactly_once_whatever_the_broker_does() {
    let seeds: Vec<u64> = match std::env::var("PK_MESSAGING_SEED") {
        Ok(seed) => vec![seed.parse().unwrap()],
        Err(_) => (1..=20).collect(),
    };
    let (mut messages, mut faults, mut by_broker, mut by_inbox, mut kills) = (0, 0, 0, 0, 0);
    for seed in seeds {
        let run = history(seed, 150);
        messages += run.messages;
        faults += run.faults;
        by_broker += run.suppressed_by_broker;
        by_inbox += run.suppressed_by_inbox;
        kills += run.consumer_kills;
    }
    eprintln!(
        "{messages} messages, {faults} faults injected, {kills} consumer kills after commit; \
         duplicates suppressed: {by_broker} by the broker, {by_inbox} by the inbox; every \
         effect exactly once"
    );
    assert!(
        faults > 0 && by_inbox > 0,
        "the faults must have been exercised"
    );
}

#[test]
fn bad_messages_are_rejected_not_handled_and_not_acknowledged() {
    let broker = MemoryBroker::new();
    block_on(async {
        // A foreign message (no id) and one with a malformed stamp, published raw.
        let good = Envelope::new(MessageId::new("fine-1").unwrap(), "k", "{}");
        broker.publish(&good).await.unwrap();
        let mut consumer = Consumer::new(&broker, "c");
        let mut handled = Vec::new();
        let polled = consumer
            .poll(|m| {
                handled.push(m.id.to_string());
                async { Ok::<(), String>(()) }
            })
            .await
            .unwrap();
        assert_eq!(polled.handled, 1);
        assert_eq!(handled, ["fine-1"]);
    });
    let missing = patternkit::messaging::Delivery {
        offset: 9,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        payload: "hello".into(),
        redelivered: 0,
    };
    let error = missing.message().unwrap_err();
    assert!(
        error.to_string().contains("has no `Nats-Msg-Id` header"),
        "{error}"
    );
    let malformed = patternkit::messaging::Delivery {
        headers: vec![
            ("Nats-Msg-Id".into(), "x-1".into()),
            ("Pk-Stamp".into(), "7/not-a-number/1".into()),
        ],
        ..missing
    };
    let error = malformed.message().unwrap_err();
    assert!(
        error.to_string().contains("is not producer/epoch/seq"),
        "{error}"
    );
    assert!(MessageId::new("has space").is_err());
    assert!(MessageId::new("").is_err());
}

#[test]
fn an_inbox_that_forgets_before_the_broker_stops_redelivering_is_refused() {
    let error = SqliteInbox::new(
        "billing",
        Duration::from_secs(60),
        Duration::from_secs(3_600),
    )
    .err()
    .unwrap();
    assert!(
        error.to_string().contains("would take effect twice"),
        "{error}"
    );
}
