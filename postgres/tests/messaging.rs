//! The outbox and inbox on the PostgreSQL server of this machine: events of transactions
//! that commit out of order are all relayed, those of one key in their order; and orders
//! staged concurrently flow through a faulty in-process broker into an inbox whose consumer is
//! killed between commit and acknowledgement, each taking effect once. Without a server these
//! tests say why and pass; under `CI=true` they fail.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use patternkit::messaging::{Broker, Consumer, Envelope, Faults, MemoryBroker};
use patternkit::postgres::{PostgresInbox, PostgresOutbox, install_messaging};
use tokio_postgres::{Client, NoTls};

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{postgres_url, reachable, unique};

async fn client() -> Option<Client> {
    let (client, connection) = reachable(
        "PostgreSQL",
        tokio_postgres::connect(&postgres_url(), NoTls).await,
    )?;
    tokio::spawn(connection);
    install_messaging(&client).await.unwrap();
    Some(client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_transactions_that_commit_out_of_order_are_all_relayed_in_key_order() {
    let Some(mut first) = client().await else {
        return;
    };
    let mut second = client().await.unwrap();
    let mut third = client().await.unwrap();
    let outbox = unique("outbox");
    let broker = MemoryBroker::new();
    let relay = PostgresOutbox::connect(&postgres_url(), &outbox)
        .await
        .unwrap();

    // A stages for `a` and stays open; B stages for `b` and commits first.
    let a = first.transaction().await.unwrap();
    PostgresOutbox::stage(&a, &outbox, "a", "a1", None)
        .await
        .unwrap();
    let b = second.transaction().await.unwrap();
    PostgresOutbox::stage(&b, &outbox, "b", "b1", None)
        .await
        .unwrap();
    b.commit().await.unwrap();
    assert_eq!(relay.relay(&broker, 100).await.unwrap(), (1, 0, 0));

    // C stages a second event for `a`: it waits for A, so `a`'s order is the commit order.
    let outbox_c = outbox.clone();
    let c = tokio::spawn(async move {
        let c = third.transaction().await.unwrap();
        let id = PostgresOutbox::stage(&c, &outbox_c, "a", "a2", None)
            .await
            .unwrap();
        c.commit().await.unwrap();
        id
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !c.is_finished(),
        "the second event of `a` waits for the first's transaction"
    );
    a.commit().await.unwrap();
    let c_id = c.await.unwrap();
    assert!(c_id.as_str().ends_with("-a-2"), "{c_id}");
    // The relay did not skip A's event, which committed after B's was relayed.
    while relay.pending().await.unwrap() > 0 {
        relay.relay(&broker, 100).await.unwrap();
    }
    let delivered = broker.fetch("reader", 10).await.unwrap();
    let payloads: Vec<String> = delivered.iter().map(|d| d.payload.clone()).collect();
    assert_eq!(payloads, ["b1", "a1", "a2"]);
}

/// Four writers stage 25 orders each, concurrently, on three keys.
fn spawn_writers(outbox: &str) -> Vec<tokio::task::JoinHandle<()>> {
    (0..4)
        .map(|w| {
            let outbox = outbox.to_owned();
            tokio::spawn(async move {
                let mut db = client().await.unwrap();
                for n in 0..25 {
                    let tx = db.transaction().await.unwrap();
                    let key = format!("customer-{}", (w + n) % 3);
                    PostgresOutbox::stage(&tx, &outbox, &key, &format!("{w}-{n}"), None)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect()
}

/// Every one of `orders` ids took effect once.
async fn check_once(db: &Client, effects: &str, orders: usize) {
    let mut seen: BTreeMap<String, i64> = BTreeMap::new();
    for row in db
        .query(
            &format!("SELECT id, count(*) FROM {effects} GROUP BY id"),
            &[],
        )
        .await
        .unwrap()
    {
        seen.insert(row.get(0), row.get(1));
    }
    assert_eq!(seen.len(), orders, "every order took effect");
    assert!(seen.values().all(|n| *n == 1), "none twice: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_orders_take_effect_exactly_once_through_a_faulty_broker() {
    let Some(db) = client().await else {
        return;
    };
    let outbox = unique("orders");
    let effects = unique("effects");
    db.batch_execute(&format!("CREATE TABLE {effects} (id TEXT NOT NULL)"))
        .await
        .unwrap();
    let writers = spawn_writers(&outbox);
    let broker = Arc::new(
        MemoryBroker::new()
            .with_faults(Faults::all(100), 42)
            .redeliver_after(1),
    );
    let relay = PostgresOutbox::connect(&postgres_url(), &outbox)
        .await
        .unwrap()
        .max_attempts(1_000);
    let inbox =
        PostgresInbox::new(&outbox, Duration::from_secs(600), Duration::from_secs(60)).unwrap();
    let consumer_db = Arc::new(tokio::sync::Mutex::new(client().await.unwrap()));
    let mut consumer = Consumer::new(Arc::clone(&broker), "billing");
    let mut kills = 0;
    for round in 0..2_000 {
        let _ = relay.relay(&*broker, 20).await.unwrap();
        // Every fourth round the consumer's process dies right after its first commit.
        let dying = round % 4 == 0;
        let dead = std::cell::Cell::new(false);
        let polled = consumer
            .poll(|m: Envelope| {
                let db = Arc::clone(&consumer_db);
                let (inbox, effects, dead) = (&inbox, &effects, &dead);
                async move {
                    if dead.get() {
                        return Err("dead".to_string());
                    }
                    let mut db = db.lock().await;
                    let tx = db.transaction().await.map_err(|e| e.to_string())?;
                    let new = inbox.accept(&tx, &m).await.map_err(|e| e.to_string())?;
                    if new {
                        tx.execute(
                            &format!("INSERT INTO {effects} VALUES ($1)"),
                            &[&m.id.as_str()],
                        )
                        .await
                        .map_err(|e| e.to_string())?;
                    }
                    tx.commit().await.map_err(|e| e.to_string())?;
                    if new && dying {
                        dead.set(true);
                        return Err("killed after commit".to_string());
                    }
                    Ok(())
                }
            })
            .await;
        let _ = polled;
        if dead.get() {
            kills += 1;
            consumer = Consumer::new(Arc::clone(&broker), "billing");
        }
        let done: i64 = db
            .query_one(&format!("SELECT count(DISTINCT id) FROM {effects}"), &[])
            .await
            .unwrap()
            .get(0);
        if done == 100 && writers.iter().all(tokio::task::JoinHandle::is_finished) {
            break;
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }
    check_once(&db, &effects, 100).await;
    assert!(kills > 0);
    eprintln!(
        "{:?}; consumer kills after commit: {kills}",
        broker.counts()
    );
    db.batch_execute(&format!("DROP TABLE {effects}"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installing_never_waits_for_transactions_staging_events() {
    let Some(mut first) = client().await else {
        return;
    };
    // A transaction stages an event and stays open, as a service's would while it works.
    let open = first.transaction().await.unwrap();
    PostgresOutbox::stage(&open, &unique("outbox"), "k", "payload", None)
        .await
        .unwrap();
    // Another process starting up installs the tables: with them present it must not queue
    // behind the open transaction (and make every later writer queue behind itself).
    let installed = tokio::time::timeout(Duration::from_secs(10), client()).await;
    assert!(
        installed.is_ok(),
        "installing waited for an open transaction on the outbox"
    );
    open.rollback().await.unwrap();
}
