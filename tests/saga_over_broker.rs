//! The choreographed order saga (see `examples/saga_choreography.rs`) across services that
//! share nothing but a broker: order, payment and shipping each have their own SQLite
//! database, react to events through an inbox and announce their own through an outbox — the
//! inbox row, the state change and the outgoing event in one transaction. Orders above 100
//! cannot be shipped, so their payment is refunded and the order cancelled.
//!
//! Run over the in-process broker with every fault on, and over the NATS JetStream server of
//! this machine with each service's connection dropped (its process "restarted") every few
//! rounds. Every order ends shipped, or refunded and cancelled; every charge, refund and
//! cancellation happens once.

use std::collections::BTreeMap;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::messaging::{Broker, Consumer, Envelope, Faults, MemoryBroker};
use patternkit::sqlite::rusqlite::{Connection, Transaction};
use patternkit::sqlite::{SqliteInbox, SqliteOutbox};

#[path = "support/servers.rs"]
mod servers;
use servers::{nats_url, reachable, unique};

/// What a service does with an event (its kind and amount), inside the handling transaction:
/// the event it announces in turn, if any.
type Reaction = fn(&Transaction<'_>, &str, &str) -> Option<String>;

/// One service: its database (state, inbox, outbox) and what it does with an event.
struct Service {
    name: &'static str,
    file: std::path::PathBuf,
    db: Connection,
    inbox: SqliteInbox,
    react: Reaction,
}

fn event(kind: &str, amount: i64) -> String {
    format!("{kind} {amount}")
}

/// Payment: charges placed orders; refunds those that could not be shipped.
fn payment(tx: &Transaction<'_>, kind: &str, amount: &str) -> Option<String> {
    let amount: i64 = amount.parse().ok()?;
    match kind {
        "OrderPlaced" => {
            tx.execute("INSERT INTO ledger VALUES ('charge', ?1)", [amount])
                .ok()?;
            Some(event("PaymentCharged", amount))
        }
        "ShippingFailed" => {
            tx.execute("INSERT INTO ledger VALUES ('refund', ?1)", [amount])
                .ok()?;
            Some(event("PaymentRefunded", amount))
        }
        _ => None,
    }
}

/// Shipping: ships charged orders up to 100.
fn shipping(tx: &Transaction<'_>, kind: &str, amount: &str) -> Option<String> {
    let amount: i64 = amount.parse().ok()?;
    (kind == "PaymentCharged").then_some(())?;
    if amount <= 100 {
        tx.execute("INSERT INTO ledger VALUES ('shipped', ?1)", [amount])
            .ok()?;
        Some(event("ParcelShipped", amount))
    } else {
        Some(event("ShippingFailed", amount))
    }
}

/// Order: cancels refunded orders.
fn order(tx: &Transaction<'_>, kind: &str, amount: &str) -> Option<String> {
    let amount: i64 = amount.parse().ok()?;
    (kind == "PaymentRefunded").then_some(())?;
    tx.execute("INSERT INTO ledger VALUES ('cancelled', ?1)", [amount])
        .ok()?;
    Some(event("OrderCancelled", amount))
}

impl Service {
    fn open(dir: &std::path::Path, name: &'static str, react: Reaction) -> Self {
        let file = dir.join(format!("{name}.db"));
        let db = Connection::open(&file).unwrap();
        db.busy_timeout(Duration::from_secs(5)).unwrap();
        db.execute_batch("CREATE TABLE IF NOT EXISTS ledger (what TEXT, amount INTEGER)")
            .unwrap();
        SqliteOutbox::install(&db).unwrap();
        let inbox =
            SqliteInbox::new(name, Duration::from_secs(3_600), Duration::from_secs(600)).unwrap();
        inbox.install(&db).unwrap();
        Service {
            name,
            file,
            db,
            inbox,
            react,
        }
    }

    /// Handles one event: inbox row, reaction and outgoing event in one transaction.
    fn handle(&mut self, message: &Envelope) -> Result<(), String> {
        let (kind, amount) = message.payload.split_once(' ').ok_or("malformed event")?;
        let tx = self.db.transaction().map_err(|e| e.to_string())?;
        if !self.inbox.accept(&tx, message).map_err(|e| e.to_string())? {
            return Ok(());
        }
        if let Some(out) = (self.react)(&tx, kind, amount) {
            let id = patternkit::messaging::MessageId::new(&format!(
                "{}-{}-{}",
                self.name, message.key, message.id
            ))
            .map_err(|e| e.to_string())?;
            SqliteOutbox::stage(&tx, self.name, &message.key, &out, Some(&id))
                .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())
    }

    fn ledger(&self) -> Vec<(String, i64)> {
        let mut select = self.db.prepare("SELECT what, amount FROM ledger").unwrap();
        select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

/// Places `orders` orders and runs the three services over brokers made by `connect` (one per
/// service and round, as if each service's process restarted) until every order is settled.
async fn choreography<B: Broker>(dir: &std::path::Path, orders: i64, connect: impl AsyncFn() -> B) {
    let mut services = [
        Service::open(dir, "order", order),
        Service::open(dir, "payment", payment),
        Service::open(dir, "shipping", shipping),
    ];
    // The order service places orders: the order row and OrderPlaced in one transaction.
    for n in 0..orders {
        let amount = 40 + (n * 37) % 120;
        let tx = services[0].db.transaction().unwrap();
        tx.execute("INSERT INTO ledger VALUES ('placed', ?1)", [amount])
            .unwrap();
        SqliteOutbox::stage(
            &tx,
            "order",
            &format!("order{n}"),
            &event("OrderPlaced", amount),
            None,
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut settled_quietly = false;
    for _ in 0..400 {
        let mut quiet = true;
        for service in &mut services {
            let broker = connect().await;
            let relay = SqliteOutbox::open(&service.file, service.name).unwrap();
            let relayed = relay.relay(&broker, 50).await.unwrap();
            quiet &= relayed.published == 0 && relay.lag().unwrap().pending == 0;
            let mut consumer = Consumer::new(&broker, service.name).batch(20);
            let polled = consumer
                .poll(|m: Envelope| {
                    let done = service.handle(&m);
                    async move { done }
                })
                .await;
            if let Ok(polled) = polled {
                quiet &= polled.handled == 0 && polled.repeated == 0 && polled.failed.is_empty();
            } else {
                quiet = false;
            }
        }
        let settled = {
            let shipped = count(&services[2], "shipped");
            let cancelled = count(&services[0], "cancelled");
            shipped + cancelled == orders
        };
        if settled && quiet {
            settled_quietly = true;
            break;
        }
    }
    assert!(
        settled_quietly,
        "events still failing or in flight after 400 rounds"
    );
    check(&services, orders);
}

fn count(service: &Service, what: &str) -> i64 {
    service
        .db
        .query_row("SELECT count(*) FROM ledger WHERE what = ?1", [what], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Every order shipped, or refunded and cancelled; each once.
fn check(services: &[Service; 3], orders: i64) {
    let mut by_kind: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for service in services {
        for (what, amount) in service.ledger() {
            by_kind.entry(what).or_default().push(amount);
        }
    }
    let total = |kind: &str| by_kind.get(kind).map_or(0, Vec::len);
    let failing = (0..orders).filter(|n| 40 + (n * 37) % 120 > 100).count();
    assert_eq!(total("placed"), usize::try_from(orders).unwrap());
    assert_eq!(
        total("charge"),
        usize::try_from(orders).unwrap(),
        "{by_kind:?}"
    );
    assert_eq!(total("shipped"), usize::try_from(orders).unwrap() - failing);
    assert_eq!(total("refund"), failing, "{by_kind:?}");
    assert_eq!(total("cancelled"), failing, "{by_kind:?}");
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pk-saga-broker-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_order_saga_settles_every_order_once_over_a_faulty_broker() {
    let dir = temp("memory");
    let broker = MemoryBroker::new()
        .with_faults(Faults::all(100), 17)
        .redeliver_after(1);
    block_on(choreography(&dir, 30, async || &broker));
    let counts = broker.counts();
    assert!(
        counts.duplicated + counts.lost_consumer_acks > 0,
        "{counts:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_saga_settles_every_order_once_over_nats_with_services_restarting() {
    let url = nats_url();
    let stream = unique("PK_SAGA");
    let subject = format!("pk.saga.{}", stream.to_lowercase());
    let config = patternkit_nats::StreamConfig {
        ack_wait: Duration::from_secs(1),
        ..patternkit_nats::StreamConfig::default()
    };
    let connected =
        patternkit_nats::NatsBroker::connect_with(&url, &stream, &subject, config.clone()).await;
    let Some(first) = reachable("NATS with JetStream", connected) else {
        return;
    };
    let dir = temp("nats");
    choreography(&dir, 20, async || {
        patternkit_nats::NatsBroker::connect_with(&url, &stream, &subject, config.clone())
            .await
            .unwrap()
    })
    .await;
    first.delete_stream().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
