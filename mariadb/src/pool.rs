//! MariaDB connections for [`patternkit::pool`](patternkit_core::pool): a manager that
//! connects with `mysql_async`, checks with a ping, and tells denied access or an unknown
//! database (never retried) from a server that is down or full (retried).

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts};
use patternkit_core::pool::{Failure, Manager, PoolFuture};

/// `ER_ACCESS_DENIED_ERROR`, `ER_DBACCESS_DENIED_ERROR`, `ER_BAD_DB_ERROR`: retrying will not
/// help.
const PERMANENT: [u16; 3] = [1045, 1044, 1049];

/// Creates and checks MariaDB connections for a [`Pool`](patternkit_core::pool::Pool).
///
/// ```no_run
/// use mysql_async::prelude::Queryable;
/// use patternkit::mariadb::MariaDbManager;
/// use patternkit::pool::Pool;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let manager = MariaDbManager::new("mysql://root@127.0.0.1:3306/test")?;
/// let pool = Pool::builder(manager).max_size(16).build()?;
/// let mut conn = pool.get().await?;
/// let one: Option<i32> = conn.query_first("SELECT 1").await?;
/// # let _ = one;
/// # Ok(())
/// # }
/// ```
pub struct MariaDbManager {
    opts: Opts,
}

impl MariaDbManager {
    /// Connections to the database at `url` (`mysql://user:password@host:port/database`).
    ///
    /// # Errors
    ///
    /// When the URL is malformed.
    pub fn new(url: &str) -> Result<Self, mysql_async::UrlError> {
        Ok(MariaDbManager {
            opts: Opts::from_url(url)?,
        })
    }
}

impl Manager for MariaDbManager {
    type Connection = Conn;
    type Error = mysql_async::Error;

    fn create(&self) -> PoolFuture<'_, Result<Conn, mysql_async::Error>> {
        Box::pin(Conn::new(self.opts.clone()))
    }

    fn check<'a>(&'a self, conn: &'a mut Conn) -> PoolFuture<'a, Result<(), mysql_async::Error>> {
        Box::pin(async move { conn.ping().await })
    }

    fn classify(&self, error: &mysql_async::Error) -> Failure {
        match error {
            mysql_async::Error::Server(server) if PERMANENT.contains(&server.code) => {
                Failure::Permanent
            }
            _ => Failure::Transient,
        }
    }
}
