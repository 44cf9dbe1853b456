//! The journal's tables in PostgreSQL, and a connection that comes back after it is lost.

use std::time::Duration;

use patternkit_core::store::{Journal, KeyState, StoreError, StoreFuture};
use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls};

use crate::schema;

const SCHEMA: &str = "
    CREATE SEQUENCE IF NOT EXISTS patternkit_keys_created;
    CREATE TABLE IF NOT EXISTS patternkit_journal (
        stream TEXT NOT NULL,
        key TEXT NOT NULL,
        seq BIGINT NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (stream, key, seq)
    );
    CREATE TABLE IF NOT EXISTS patternkit_keys (
        stream TEXT NOT NULL,
        key TEXT NOT NULL,
        state TEXT,
        created BIGINT,
        owner TEXT,
        lease_until TIMESTAMPTZ,
        PRIMARY KEY (stream, key)
    );
    CREATE INDEX IF NOT EXISTS patternkit_keys_state
        ON patternkit_keys (stream, state, created);
";

/// A [`Journal`] in a PostgreSQL database.
pub struct PostgresJournal {
    config: String,
    client: Mutex<Option<Client>>,
}

impl PostgresJournal {
    /// Connects with `config` (`host=.. user=.. dbname=..` or a `postgresql://` URL) and
    /// creates the tables if they do not exist. Must be called within a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the server cannot be reached or refuses.
    pub async fn connect(config: &str) -> Result<Self, StoreError> {
        let client = open(config).await?;
        // Journals connecting at once must not create the tables at once, nor wait for
        // transactions using tables that exist already.
        schema::install(&client, 7_343_405_117, "patternkit_keys_state", SCHEMA)
            .await
            .map_err(unavailable)?;
        Ok(PostgresJournal {
            config: config.to_owned(),
            client: Mutex::new(Some(client)),
        })
    }

    /// Runs `work` with a live client, connecting again if the last one was lost.
    async fn with<T>(
        &self,
        work: impl AsyncFnOnce(&mut Client) -> Result<T, tokio_postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut slot = self.client.lock().await;
        if slot.as_ref().is_none_or(Client::is_closed) {
            *slot = Some(open(&self.config).await?);
        }
        let Some(client) = slot.as_mut() else {
            return Err(StoreError::Unavailable("PostgreSQL: no connection".into()));
        };
        let result = work(client).await;
        if client.is_closed() {
            *slot = None;
        }
        result.map_err(unavailable)
    }
}

async fn open(config: &str) -> Result<Client, StoreError> {
    let (client, connection) = tokio_postgres::connect(config, NoTls)
        .await
        .map_err(unavailable)?;
    // The connection's I/O runs beside the caller; it ends when the client is dropped or
    // the server goes away, which the next call notices.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(unavailable)`.
fn unavailable(error: tokio_postgres::Error) -> StoreError {
    // With its cause: tokio-postgres alone says only `db error`.
    StoreError::Unavailable(format!("PostgreSQL: {}", crate::PostgresError(error)))
}

impl Journal for PostgresJournal {
    fn append<'a>(&'a self, stream: &'a str, key: &'a str, entry: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.with(async move |client: &mut Client| {
            // One statement, so one round trip and one commit.
            client
                .execute(
                    "WITH key_row AS (
                         INSERT INTO patternkit_keys (stream, key, state, created)
                         VALUES ($1, $2, 'open', nextval('patternkit_keys_created'))
                         ON CONFLICT (stream, key) DO UPDATE SET
                             state = COALESCE(patternkit_keys.state, 'open'),
                             created = COALESCE(patternkit_keys.created, excluded.created)
                     )
                     INSERT INTO patternkit_journal (stream, key, seq, entry)
                     SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3 FROM patternkit_journal
                     WHERE stream = $1 AND key = $2",
                    &[&stream, &key, &entry],
                )
                .await
                .map(drop)
        }))
    }

    fn read<'a>(&'a self, stream: &'a str, key: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(self.with(async move |client: &mut Client| {
            let rows = client
                .query(
                    "SELECT entry FROM patternkit_journal WHERE stream = $1 AND key = $2 \
                     ORDER BY seq",
                    &[&stream, &key],
                )
                .await?;
            rows.iter().map(|row| row.try_get(0)).collect()
        }))
    }

    fn set_state<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        state: KeyState,
    ) -> StoreFuture<'a, ()> {
        Box::pin(self.with(async move |client: &mut Client| {
            client
                .execute(
                    "INSERT INTO patternkit_keys (stream, key, state, created)
                     VALUES ($1, $2, $3, nextval('patternkit_keys_created'))
                     ON CONFLICT (stream, key) DO UPDATE SET state = excluded.state",
                    &[&stream, &key, &state.as_str()],
                )
                .await
                .map(drop)
        }))
    }

    fn keys<'a>(&'a self, stream: &'a str, state: KeyState) -> StoreFuture<'a, Vec<String>> {
        Box::pin(self.with(async move |client: &mut Client| {
            let rows = client
                .query(
                    "SELECT key FROM patternkit_keys WHERE stream = $1 AND state = $2 \
                     ORDER BY created",
                    &[&stream, &state.as_str()],
                )
                .await?;
            rows.iter().map(|row| row.try_get(0)).collect()
        }))
    }

    fn lease<'a>(
        &'a self,
        stream: &'a str,
        key: &'a str,
        owner: &'a str,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        let millis = i64::try_from(ttl.as_millis())
            .unwrap_or(i64::MAX)
            .to_string();
        Box::pin(self.with(async move |client: &mut Client| {
            // One statement against the server's clock: two processes cannot both win.
            let rows = client
                .query(
                    "INSERT INTO patternkit_keys (stream, key, owner, lease_until)
                     VALUES ($1, $2, $3, now() + ($4::text || ' milliseconds')::interval)
                     ON CONFLICT (stream, key) DO UPDATE
                         SET owner = excluded.owner, lease_until = excluded.lease_until
                         WHERE patternkit_keys.owner IS NULL
                            OR patternkit_keys.owner = excluded.owner
                            OR patternkit_keys.lease_until <= now()
                     RETURNING owner",
                    &[&stream, &key, &owner, &millis],
                )
                .await?;
            Ok(!rows.is_empty())
        }))
    }

    fn release<'a>(&'a self, stream: &'a str, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.with(async move |client: &mut Client| {
            client
                .execute(
                    "UPDATE patternkit_keys SET owner = NULL, lease_until = NULL
                     WHERE stream = $1 AND key = $2 AND owner = $3",
                    &[&stream, &key, &owner],
                )
                .await
                .map(drop)
        }))
    }
}
