//! Idempotent messaging over the NATS JetStream server of this machine
//! (`PATTERNKIT_NATS_URL`, by default `127.0.0.1:4222`): a retried publish stored once, a
//! delivery not acknowledged coming again, a restarted consumer resuming where the server has
//! its acknowledgements, the outbox relayed and the inbox consumed with the
//! consumer's process killed between its commit and its acknowledgement (every order takes
//! effect exactly once), streams made while others are deleted, and foreign messages and an
//! absent server reported clearly. Without a server these tests say why and pass; under
//! `CI=true` they fail.

use std::collections::BTreeMap;
use std::time::Duration;

use patternkit::messaging::{Broker, BrokerError, Consumer, Envelope, MessageId};
use patternkit::nats::{NatsBroker, StreamConfig};
use patternkit::sqlite::rusqlite::Connection;
use patternkit::sqlite::{Handled, SqliteInbox, SqliteOutbox};

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{nats_url, reachable, unique};

/// How long the server waits for an acknowledgement before it delivers again: long enough
/// that one sent at once reaches it in time on a machine busy with other tests.
const ACK_WAIT: Duration = Duration::from_secs(3);

/// Past `ACK_WAIT`, when whatever was not acknowledged comes again.
const REDELIVERED: Duration = Duration::from_millis(3_500);

/// A fresh stream on the server, or `None` outside CI without one.
async fn stream(what: &str) -> Option<NatsBroker> {
    let name = unique(what);
    let config = StreamConfig {
        ack_wait: ACK_WAIT,
        ..StreamConfig::default()
    };
    let subject = format!("pk.test.{}", name.to_lowercase());
    let connected = NatsBroker::connect_with(&nats_url(), &name, &subject, config).await;
    reachable("NATS with JetStream", connected)
}

fn message(id: &str, key: &str, payload: &str) -> Envelope {
    Envelope::new(MessageId::new(id).unwrap(), key, payload)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_publish_is_stored_once_and_an_unacknowledged_delivery_comes_again() {
    let Some(broker) = stream("dedup").await else {
        return;
    };
    let first = broker.publish(&message("m-1", "k", "one")).await.unwrap();
    let again = broker.publish(&message("m-1", "k", "one")).await.unwrap();
    assert!(!first.duplicate && again.duplicate);
    assert_eq!(first.offset, again.offset);
    broker.publish(&message("m-2", "k", "two")).await.unwrap();

    let batch = broker.fetch("reader", 10).await.unwrap();
    let ids: Vec<String> = batch
        .iter()
        .map(|d| d.message().unwrap().id.to_string())
        .collect();
    assert_eq!(ids, ["m-1", "m-2"]);
    // Acknowledge only the first; the second comes again after `ACK_WAIT`.
    broker.ack("reader", batch[0].offset).await.unwrap();
    tokio::time::sleep(REDELIVERED).await;
    let again = broker.fetch("reader", 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message().unwrap().id.as_str(), "m-2");
    assert_eq!(again[0].redelivered, 1);
    broker.ack("reader", again[0].offset).await.unwrap();
    broker.delete_stream().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_to_inbox_over_jetstream_with_the_consumer_killed_between_commit_and_ack() {
    let Some(broker) = stream("flow").await else {
        return;
    };
    let dir = std::env::temp_dir().join(unique("flow"));
    std::fs::create_dir_all(&dir).unwrap();
    let orders_file = dir.join("orders.db");
    let mut orders = Connection::open(&orders_file).unwrap();
    orders
        .execute_batch("CREATE TABLE orders (n INTEGER)")
        .unwrap();
    SqliteOutbox::install(&orders).unwrap();
    let mut staged = Vec::new();
    for n in 0..60 {
        let tx = orders.transaction().unwrap();
        tx.execute("INSERT INTO orders VALUES (?1)", [n]).unwrap();
        let key = format!("customer-{}", n % 4);
        staged.push(SqliteOutbox::stage(&tx, "orders", &key, &n.to_string(), None).unwrap());
        tx.commit().unwrap();
    }
    // The relay's process dies after publishing half and is restarted: publishing the same
    // ids again stores nothing twice.
    let relay = SqliteOutbox::open(&orders_file, "orders").unwrap();
    relay.relay(&broker, 30).await.unwrap();
    orders
        .execute(
            "UPDATE patternkit_outbox SET state = 'pending' WHERE position <= 10",
            [],
        )
        .unwrap();
    let relay = SqliteOutbox::open(&orders_file, "orders").unwrap();
    while relay.lag().unwrap().pending > 0 {
        relay.relay(&broker, 25).await.unwrap();
    }

    let inbox = SqliteInbox::new(
        "billing",
        Duration::from_secs(600),
        Duration::from_secs(120),
    )
    .unwrap();
    let mut billing = Connection::open(dir.join("billing.db")).unwrap();
    billing
        .execute_batch("CREATE TABLE effects (id TEXT NOT NULL)")
        .unwrap();
    inbox.install(&billing).unwrap();
    let mut kills = 0;
    for round in 0..40 {
        // Every third round the consumer's process dies after its first commit, before any
        // acknowledgement: a new connection, a new consumer.
        let dying = round % 3 == 0;
        let process = NatsBroker::connect_with(
            &nats_url(),
            &broker_name(&broker),
            &broker_subject(&broker),
            StreamConfig {
                ack_wait: Duration::from_secs(1),
                ..StreamConfig::default()
            },
        )
        .await
        .unwrap();
        let mut consumer = Consumer::new(&process, "billing").batch(8);
        let mut committed = false;
        let polled = consumer
            .poll(|m: Envelope| {
                let result = if dying && committed {
                    Err("dead".to_string())
                } else {
                    match inbox.handle(&mut billing, &m, |tx, m| {
                        tx.execute("INSERT INTO effects VALUES (?1)", [m.id.as_str()])
                    }) {
                        Ok(Handled::Applied(_)) if dying => {
                            committed = true;
                            Err("killed after commit".to_string())
                        }
                        Ok(_) => Ok(()),
                        Err(e) => Err(e.to_string()),
                    }
                };
                async move { result }
            })
            .await
            .unwrap();
        kills += usize::from(dying && committed);
        drop(process);
        let done: i64 = billing
            .query_row("SELECT count(DISTINCT id) FROM effects", [], |r| r.get(0))
            .unwrap();
        if done == 60 && polled.handled == 0 && polled.failed.is_empty() {
            break;
        }
        if polled.handled == 0 {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    check_exactly_once(&billing, &staged);
    assert!(kills > 0, "the consumer was killed between commit and ack");
    broker.delete_stream().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_consumer_resumes_where_its_acknowledgements_stand() {
    let Some(broker) = stream("resume").await else {
        return;
    };
    for n in 1..=6 {
        let id = format!("m-{n}");
        broker.publish(&message(&id, "k", "{}")).await.unwrap();
    }
    let process = |broker: &NatsBroker| {
        let (name, subject) = (broker_name(broker), broker_subject(broker));
        let config = StreamConfig {
            ack_wait: ACK_WAIT,
            ..StreamConfig::default()
        };
        async move {
            NatsBroker::connect_with(&nats_url(), &name, &subject, config)
                .await
                .unwrap()
        }
    };
    let first = process(&broker).await;
    let mut consumer = Consumer::new(&first, "billing");
    // m-4's handler fails: 1 to 3, 5 and 6 are acknowledged.
    let polled = consumer
        .poll(|m: Envelope| {
            let result = if m.id.as_str() == "m-4" {
                Err("down")
            } else {
                Ok(())
            };
            async move { result }
        })
        .await
        .unwrap();
    assert_eq!((polled.handled, consumer.committed()), (5, 4));
    drop(consumer);
    drop(first);

    // A new process: the server says where the consumer stood.
    let second = process(&broker).await;
    let mut consumer = Consumer::new(&second, "billing");
    assert_eq!(consumer.resume().await.unwrap(), 4);
    for n in 7..=8 {
        let id = format!("m-{n}");
        broker.publish(&message(&id, "k", "{}")).await.unwrap();
    }
    let mut handled = Vec::new();
    let deadline = tokio::time::Instant::now() + REDELIVERED * 3;
    while consumer.committed() < 9 && tokio::time::Instant::now() < deadline {
        consumer
            .poll(|m: Envelope| {
                handled.push(m.id.to_string());
                async { Ok::<(), String>(()) }
            })
            .await
            .unwrap();
    }
    handled.sort();
    assert_eq!(
        handled,
        ["m-4", "m-7", "m-8"],
        "only what was not acknowledged"
    );
    assert_eq!(
        consumer.committed(),
        9,
        "past 5 and 6, acknowledged before the restart"
    );

    let mut audit = Consumer::new(&second, "audit");
    assert_eq!(
        audit.resume().await.unwrap(),
        1,
        "a new consumer starts at the first"
    );
    broker.delete_stream().await.unwrap();
}

/// Every staged id took effect exactly once.
fn check_exactly_once(billing: &Connection, staged: &[MessageId]) {
    let mut effects: BTreeMap<String, usize> = BTreeMap::new();
    let mut select = billing.prepare("SELECT id FROM effects").unwrap();
    for id in select.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        *effects.entry(id.unwrap()).or_default() += 1;
    }
    for id in staged {
        assert_eq!(effects.get(id.as_str()), Some(&1), "{id}");
    }
    assert_eq!(effects.len(), staged.len());
}

fn broker_name(broker: &NatsBroker) -> String {
    broker.stream_name().to_owned()
}

fn broker_subject(broker: &NatsBroker) -> String {
    broker.subject().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_messages_are_rejected_unacknowledged_and_an_absent_server_is_unavailable() {
    let Some(broker) = stream("foreign").await else {
        return;
    };
    broker
        .publish_raw(&[("Content-Type".into(), "text/plain".into())], "hello")
        .await
        .unwrap();
    broker
        .publish(&message("ours-1", "k", "fine"))
        .await
        .unwrap();
    let mut consumer = Consumer::new(&broker, "reader");
    let mut handled = Vec::new();
    let polled = consumer
        .poll(|m: Envelope| {
            handled.push(m.id.to_string());
            async { Ok::<(), String>(()) }
        })
        .await
        .unwrap();
    assert_eq!(handled, ["ours-1"]);
    assert_eq!(polled.rejected.len(), 1);
    assert!(
        polled.rejected[0]
            .1
            .to_string()
            .contains("no `Nats-Msg-Id`")
    );
    // Not acknowledged: it comes again until set aside.
    tokio::time::sleep(REDELIVERED).await;
    let again = broker.fetch("reader", 10).await.unwrap();
    assert_eq!(again.len(), 1);
    consumer.set_aside(again[0].offset).await.unwrap();
    broker.delete_stream().await.unwrap();

    let absent = NatsBroker::connect("127.0.0.1:1", "PK_NOWHERE", "pk.nowhere").await;
    assert!(matches!(absent, Err(BrokerError::Unavailable(_))));
    let bad = NatsBroker::connect(&nats_url(), "has.dots", "x").await;
    assert!(matches!(bad, Err(BrokerError::Rejected(why)) if why.contains("cannot name")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_made_while_others_are_deleted_are_all_made() {
    // Probe first, so that a machine without a server skips (outside CI) rather than fails.
    let Some(probe) = stream("probe").await else {
        return;
    };
    probe.delete_stream().await.unwrap();
    let makers: Vec<_> = (0..3)
        .map(|task| {
            tokio::spawn(async move {
                let mut refused = Vec::new();
                for round in 0..30 {
                    let name = unique(&format!("churn{task}x{round}"));
                    let subject = format!("pk.churn.{}", name.to_lowercase());
                    match NatsBroker::connect(&nats_url(), &name, &subject).await {
                        Ok(broker) => broker.delete_stream().await.unwrap(),
                        Err(error) => refused.push(error.to_string()),
                    }
                }
                refused
            })
        })
        .collect();
    for maker in makers {
        let refused = maker.await.unwrap();
        assert!(refused.is_empty(), "{refused:?}");
    }
}
