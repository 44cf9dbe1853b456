//! The outbox and inbox on PostgreSQL with NATS JetStream between them, on this machine's
//! servers: the relay's process dies after publishing and before marking (its restart
//! republishes, JetStream answers duplicates), and the consumer's process dies between its
//! commit and its acknowledgement; every order still takes effect exactly once. Without the
//! servers this test says why and passes; under `CI=true` it fails.

use std::time::Duration;

use patternkit::messaging::{Consumer, Envelope};
use patternkit::nats::{NatsBroker, StreamConfig};
use patternkit::postgres::{PostgresInbox, PostgresOutbox, install_messaging};
use tokio_postgres::{Client, NoTls};

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{nats_url, postgres_url, reachable, unique};

async fn postgres() -> Result<Client, String> {
    let (client, connection) = tokio_postgres::connect(&postgres_url(), NoTls)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    install_messaging(&client)
        .await
        .map_err(|e| e.to_string())?;
    Ok(client)
}

fn config() -> StreamConfig {
    StreamConfig {
        ack_wait: Duration::from_secs(1),
        ..StreamConfig::default()
    }
}

/// Stages 40 orders and relays them all; then the relay "dies" before its marks (the first
/// four of each key are pending again) and its restart publishes them a second time.
async fn stage_and_relay(
    db: &mut Client,
    broker: &NatsBroker,
    outbox: &str,
) -> Vec<patternkit::messaging::MessageId> {
    let mut staged = Vec::new();
    for n in 0..40 {
        let tx = db.transaction().await.unwrap();
        let key = format!("customer-{}", n % 3);
        staged.push(
            PostgresOutbox::stage(&tx, outbox, &key, &n.to_string(), None)
                .await
                .unwrap(),
        );
        tx.commit().await.unwrap();
    }
    // The relay publishes everything, then "dies" before its marks: twelve rows are pending
    // again, and its restart publishes them a second time.
    let relay = PostgresOutbox::connect(&postgres_url(), outbox)
        .await
        .unwrap();
    while relay.pending().await.unwrap() > 0 {
        relay.relay(broker, 50).await.unwrap();
    }
    db.execute(
        "UPDATE patternkit_outbox SET state = 'pending' WHERE outbox = $1 AND seq <= 4",
        &[&outbox],
    )
    .await
    .unwrap();
    let relay = PostgresOutbox::connect(&postgres_url(), outbox)
        .await
        .unwrap();
    while relay.pending().await.unwrap() > 0 {
        relay.relay(broker, 50).await.unwrap();
    }

    staged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_take_effect_once_across_relay_and_consumer_crashes() {
    let stream = unique("PK_PGFLOW");
    let subject = format!("pk.pgflow.{}", stream.to_lowercase());
    let ready = async {
        let broker = NatsBroker::connect_with(&nats_url(), &stream, &subject, config())
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((broker, postgres().await?))
    };
    let Some((broker, mut db)) = reachable("PostgreSQL and NATS", ready.await) else {
        return;
    };
    let outbox = unique("pgflow");
    let effects = unique("pgflow_effects");
    db.batch_execute(&format!("CREATE TABLE {effects} (id TEXT NOT NULL)"))
        .await
        .unwrap();
    let staged = stage_and_relay(&mut db, &broker, &outbox).await;
    let inbox =
        PostgresInbox::new(&outbox, Duration::from_secs(600), Duration::from_secs(120)).unwrap();
    let db = std::sync::Arc::new(tokio::sync::Mutex::new(db));
    let mut kills = 0;
    for round in 0..60 {
        let process = NatsBroker::connect_with(&nats_url(), &stream, &subject, config())
            .await
            .unwrap();
        let dying = round % 3 == 0;
        let dead = std::cell::Cell::new(false);
        let mut consumer = Consumer::new(&process, "billing").batch(8);
        let polled = consumer
            .poll(|m: Envelope| {
                let db = std::sync::Arc::clone(&db);
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
            .await
            .unwrap();
        kills += usize::from(dead.get());
        drop(process);
        let done: i64 = db
            .lock()
            .await
            .query_one(&format!("SELECT count(DISTINCT id) FROM {effects}"), &[])
            .await
            .unwrap()
            .get(0);
        if done == 40 && polled.handled == 0 && polled.failed.is_empty() {
            break;
        }
        if polled.handled == 0 {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    let db = db.lock().await;
    let rows = db
        .query(
            &format!("SELECT id, count(*) FROM {effects} GROUP BY id"),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 40, "every order took effect");
    for row in &rows {
        let (id, times): (String, i64) = (row.get(0), row.get(1));
        assert_eq!(times, 1, "{id} took effect {times} times");
        assert!(staged.iter().any(|s| s.as_str() == id));
    }
    assert!(kills > 0);
    db.batch_execute(&format!("DROP TABLE {effects}"))
        .await
        .unwrap();
    broker.delete_stream().await.unwrap();
}
