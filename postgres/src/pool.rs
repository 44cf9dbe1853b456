//! PostgreSQL connections for [`patternkit::pool`](patternkit_core::pool): a manager that
//! connects with tokio-postgres, checks with an empty query, and tells a wrong password or
//! an unknown database (never retried) from a server that is down or full (retried).

use core::fmt;

use patternkit_core::pool::{Failure, Manager, PoolFuture};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

/// A tokio-postgres error shown with its cause (`db error: FATAL: database "x" does not
/// exist`, where tokio-postgres alone says `db error`).
#[derive(Debug)]
pub struct PostgresError(pub tokio_postgres::Error);

impl fmt::Display for PostgresError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = std::error::Error::source(&self.0);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for PostgresError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Creates and checks PostgreSQL connections for a [`Pool`](patternkit_core::pool::Pool).
/// Each connection's I/O runs on a task of the tokio runtime it was created on.
///
/// ```no_run
/// use patternkit::pool::Pool;
/// use patternkit::postgres::PostgresManager;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = Pool::builder(PostgresManager::new("host=127.0.0.1 user=postgres dbname=test"))
///     .max_size(16)
///     .build()?;
/// let client = pool.get().await?;
/// let one: i32 = client.query_one("SELECT 1", &[]).await?.get(0);
/// # let _ = one;
/// # Ok(())
/// # }
/// ```
pub struct PostgresManager {
    config: String,
}

impl PostgresManager {
    /// Connections to the database at `config` (`host=… user=… dbname=…` or a URL).
    #[must_use]
    pub fn new(config: &str) -> Self {
        PostgresManager {
            config: config.to_owned(),
        }
    }
}

impl Manager for PostgresManager {
    type Connection = Client;
    type Error = PostgresError;

    fn create(&self) -> PoolFuture<'_, Result<Client, PostgresError>> {
        Box::pin(async move {
            let (client, connection) = tokio_postgres::connect(&self.config, NoTls)
                .await
                .map_err(PostgresError)?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        })
    }

    fn check<'a>(&'a self, client: &'a mut Client) -> PoolFuture<'a, Result<(), PostgresError>> {
        Box::pin(async move { client.batch_execute("").await.map_err(PostgresError) })
    }

    fn is_broken(&self, client: &mut Client) -> bool {
        client.is_closed()
    }

    fn classify(&self, error: &PostgresError) -> Failure {
        let permanent = [
            SqlState::INVALID_PASSWORD,
            SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
            SqlState::INVALID_CATALOG_NAME,
        ];
        match error.0.code() {
            Some(code) if permanent.contains(code) => Failure::Permanent,
            _ => Failure::Transient,
        }
    }
}
