//! The inbox and outbox of idempotent messaging in PostgreSQL, written in the user's own
//! transaction. Concurrent transactions commit in any order, so the outbox does not relay by
//! "position above the last one": a per-key counter row, updated in the staging transaction,
//! makes events of one key commit in their order, and the relay takes whatever is pending.

use core::fmt;
use std::time::Duration;

use patternkit_core::messaging::{
    Broker, BrokerError, Envelope, InboxConfigError, MessageError, MessageId, Retention,
};
use tokio_postgres::{Client, GenericClient, NoTls};

use crate::pool::PostgresError;
use crate::schema;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS patternkit_inbox (
        consumer TEXT NOT NULL,
        id TEXT NOT NULL,
        received TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, id)
    );
    CREATE TABLE IF NOT EXISTS patternkit_outbox_keys (
        outbox TEXT NOT NULL,
        key TEXT NOT NULL,
        next BIGINT NOT NULL,
        PRIMARY KEY (outbox, key)
    );
    CREATE TABLE IF NOT EXISTS patternkit_outbox (
        position BIGSERIAL PRIMARY KEY,
        outbox TEXT NOT NULL,
        key TEXT NOT NULL,
        seq BIGINT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INT NOT NULL DEFAULT 0,
        last_error TEXT,
        staged TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS patternkit_outbox_pending
        ON patternkit_outbox (outbox, state, position);
";

/// Creates the inbox and outbox tables if they are missing. Several processes may do so at
/// once: an advisory lock serialises them (PostgreSQL's `IF NOT EXISTS` alone races). Once
/// they exist, it only looks them up, so it never waits for transactions using them.
///
/// # Errors
///
/// When the server refuses.
pub async fn install_messaging(client: &Client) -> Result<(), PostgresError> {
    schema::install(client, 7_343_405_116, "patternkit_outbox_pending", SCHEMA)
        .await
        .map_err(PostgresError)
}

/// The inbox of one consumer in PostgreSQL: call [`accept`](PostgresInbox::accept) in the
/// transaction that makes the message's effect, and skip the effect when it says `false`.
///
/// ```no_run
/// use patternkit::messaging::Envelope;
/// use patternkit::postgres::PostgresInbox;
/// use std::time::Duration;
///
/// # async fn handle(db: &mut tokio_postgres::Client, message: &Envelope) -> Result<(), Box<dyn std::error::Error>> {
/// let inbox = PostgresInbox::new("billing", Duration::from_secs(7 * 86_400), Duration::from_secs(86_400))?;
/// let tx = db.transaction().await?;
/// if inbox.accept(&tx, message).await? {
///     tx.execute("UPDATE balance SET total = total + 1", &[]).await?;
/// }
/// tx.commit().await?; // then acknowledge the message
/// # Ok(())
/// # }
/// ```
pub struct PostgresInbox {
    consumer: String,
    retention: Duration,
}

impl PostgresInbox {
    /// The inbox of `consumer`, keeping ids for `retention`, which must cover the broker's
    /// `redelivery_horizon`.
    ///
    /// # Errors
    ///
    /// [`InboxConfigError`] when `retention` is shorter than `redelivery_horizon`.
    pub fn new(
        consumer: &str,
        retention: Duration,
        redelivery_horizon: Duration,
    ) -> Result<Self, InboxConfigError> {
        let retention = Retention::new(consumer, retention, redelivery_horizon)?.keep();
        Ok(PostgresInbox {
            consumer: consumer.to_owned(),
            retention,
        })
    }

    /// Records `message`'s id in `tx`; `false` when it was there already (the effect must
    /// not run again).
    ///
    /// # Errors
    ///
    /// When the server refuses.
    pub async fn accept(
        &self,
        tx: &impl GenericClient,
        message: &Envelope,
    ) -> Result<bool, PostgresError> {
        let inserted = tx
            .execute(
                "INSERT INTO patternkit_inbox (consumer, id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&self.consumer, &message.id.as_str()],
            )
            .await
            .map_err(PostgresError)?;
        Ok(inserted == 1)
    }

    /// Forgets ids older than the retention; returns how many.
    ///
    /// # Errors
    ///
    /// When the server refuses.
    pub async fn expire(&self, client: &impl GenericClient) -> Result<u64, PostgresError> {
        let seconds = self.retention.as_secs_f64();
        client
            .execute(
                "DELETE FROM patternkit_inbox WHERE consumer = $1
                 AND received < now() - make_interval(secs => $2)",
                &[&self.consumer, &seconds],
            )
            .await
            .map_err(PostgresError)
    }
}

/// Why an event could not be staged.
#[derive(Debug)]
pub enum StageError {
    /// The database refused.
    Database(PostgresError),
    /// The outbox name and key do not make a usable message id; give an id of your own.
    Id(MessageError),
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StageError::Database(error) => write!(f, "{error}"),
            StageError::Id(error) => write!(
                f,
                "{error} (made from the outbox name and the key: use a shorter key or an id of \
                 your own)"
            ),
        }
    }
}

impl std::error::Error for StageError {}

impl From<PostgresError> for StageError {
    fn from(error: PostgresError) -> Self {
        StageError::Database(error)
    }
}

/// One outbox in PostgreSQL: [`stage`](PostgresOutbox::stage) in your transaction,
/// [`relay`](PostgresOutbox::relay) from a task of its own.
pub struct PostgresOutbox {
    name: String,
    client: Client,
    max_attempts: i32,
}

impl PostgresOutbox {
    /// Stages an event for `key` in `tx`, with the state change. Events of one key commit
    /// in the order they were staged (the key's counter row is locked until `tx` ends), so
    /// the relay keeps their order whatever order transactions of other keys commit in. Its
    /// id is `{outbox}-{key}-{n}`, or `id` when given.
    ///
    /// # Errors
    ///
    /// [`StageError`] when the server refuses (for a given `id`: when it was staged before),
    /// or the name and key make no usable id.
    pub async fn stage(
        tx: &impl GenericClient,
        outbox: &str,
        key: &str,
        payload: &str,
        id: Option<&MessageId>,
    ) -> Result<MessageId, StageError> {
        if id.is_none() {
            // The longest id this key can make, checked before anything is written.
            MessageId::new(&format!("{outbox}-{key}-{}", i64::MAX)).map_err(StageError::Id)?;
        }
        let seq: i64 = tx
            .query_one(
                "INSERT INTO patternkit_outbox_keys (outbox, key, next) VALUES ($1, $2, 1)
                 ON CONFLICT (outbox, key) DO UPDATE SET next = patternkit_outbox_keys.next + 1
                 RETURNING next",
                &[&outbox, &key],
            )
            .await
            .map_err(PostgresError)?
            .get(0);
        let id = match id {
            Some(id) => id.clone(),
            None => MessageId::new(&format!("{outbox}-{key}-{seq}")).map_err(StageError::Id)?,
        };
        tx.execute(
            "INSERT INTO patternkit_outbox (outbox, key, seq, id, payload) VALUES ($1, $2, $3, $4, $5)",
            &[&outbox, &key, &seq, &id.as_str(), &payload],
        )
        .await
        .map_err(PostgresError)?;
        Ok(id)
    }

    /// The relay of outbox `name`, on a connection of its own; an event is dead-lettered
    /// after 10 failed attempts. Must be called within a tokio runtime.
    ///
    /// # Errors
    ///
    /// When the server cannot be reached.
    pub async fn connect(config: &str, name: &str) -> Result<Self, PostgresError> {
        let (client, connection) = tokio_postgres::connect(config, NoTls)
            .await
            .map_err(PostgresError)?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        install_messaging(&client).await?;
        Ok(PostgresOutbox {
            name: name.to_owned(),
            client,
            max_attempts: 10,
        })
    }

    /// Attempts before an event is moved to the dead letters.
    #[must_use]
    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Publishes up to `max` pending events, oldest first; a key whose event fails is held
    /// back for the rest of this relay so its order is kept. Returns (published, failed,
    /// dead-lettered).
    ///
    /// # Errors
    ///
    /// When the server fails (what was published stays marked).
    pub async fn relay<B: Broker>(
        &self,
        broker: &B,
        max: i64,
    ) -> Result<(usize, usize, usize), PostgresError> {
        let rows = self
            .client
            .query(
                "SELECT position, id, key, payload, attempts FROM patternkit_outbox
                 WHERE outbox = $1 AND state = 'pending' ORDER BY position LIMIT $2",
                &[&self.name, &max],
            )
            .await
            .map_err(PostgresError)?;
        let (mut published, mut failed, mut dead) = (0, 0, 0);
        let mut held = std::collections::BTreeSet::new();
        for row in rows {
            let position: i64 = row.get(0);
            let id: String = row.get(1);
            let key: String = row.get(2);
            let payload: String = row.get(3);
            let attempts: i32 = row.get(4);
            if held.contains(&key) {
                continue;
            }
            let outcome = match MessageId::new(&id) {
                Ok(message_id) => broker
                    .publish(&Envelope::new(message_id, &key, &payload))
                    .await
                    .map(drop),
                Err(error) => Err(BrokerError::Rejected(error.to_string())),
            };
            match outcome {
                Ok(()) => {
                    self.client
                        .execute(
                            "UPDATE patternkit_outbox SET state = 'relayed' WHERE position = $1",
                            &[&position],
                        )
                        .await
                        .map_err(PostgresError)?;
                    published += 1;
                }
                Err(error) => {
                    held.insert(key);
                    let bury = attempts + 1 >= self.max_attempts
                        || matches!(error, BrokerError::Rejected(_));
                    self.client
                        .execute(
                            "UPDATE patternkit_outbox SET attempts = attempts + 1,
                             last_error = $2, state = CASE WHEN $3 THEN 'dead' ELSE state END
                             WHERE position = $1",
                            &[&position, &error.to_string(), &bury],
                        )
                        .await
                        .map_err(PostgresError)?;
                    if bury {
                        dead += 1;
                    } else {
                        failed += 1;
                    }
                }
            }
        }
        Ok((published, failed, dead))
    }

    /// Events staged and not yet published.
    ///
    /// # Errors
    ///
    /// When the server fails.
    pub async fn pending(&self) -> Result<i64, PostgresError> {
        Ok(self
            .client
            .query_one(
                "SELECT count(*) FROM patternkit_outbox WHERE outbox = $1 AND state = 'pending'",
                &[&self.name],
            )
            .await
            .map_err(PostgresError)?
            .get(0))
    }
}
