//! SQLite connections for [`patternkit::pool`](patternkit_core::pool): each one opens the
//! database file, in write-ahead-log mode so readers do not wait for a writer.

use std::path::PathBuf;

use patternkit_core::pool::{Failure, Manager, PoolFuture};
use rusqlite::{Connection, OpenFlags};

/// Creates and checks connections to one SQLite file for a
/// [`Pool`](patternkit_core::pool::Pool). SQLite is a library: opening and checking happen
/// when called, and the futures are already complete, so the blocking front end
/// ([`Pool::get_blocking`](patternkit_core::pool::Pool::get_blocking)) suits it.
///
/// ```
/// use patternkit::pool::Pool;
/// use patternkit::sqlite::SqliteManager;
///
/// let file = std::env::temp_dir().join(format!("pk-pool-doc-{}.db", std::process::id()));
/// let pool = Pool::builder(SqliteManager::new(&file)).max_size(4).build()?;
/// let conn = pool.get_blocking()?;
/// let one: i64 = conn.query_row("SELECT 1", [], |row| row.get(0))?;
/// assert_eq!(one, 1);
/// # drop(conn);
/// # let _ = std::fs::remove_file(&file);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteManager {
    path: PathBuf,
    flags: OpenFlags,
}

impl SqliteManager {
    /// Connections to the database at `path`, created if missing.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SqliteManager {
            path: path.into(),
            flags: OpenFlags::default(),
        }
    }

    /// Connections that fail when the file does not exist, instead of creating it (a
    /// missing file is then a permanent failure).
    #[must_use]
    pub fn must_exist(mut self) -> Self {
        self.flags.remove(OpenFlags::SQLITE_OPEN_CREATE);
        self
    }
}

impl Manager for SqliteManager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn create(&self) -> PoolFuture<'_, Result<Connection, rusqlite::Error>> {
        let opened = Connection::open_with_flags(&self.path, self.flags).and_then(|conn| {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(conn)
        });
        Box::pin(core::future::ready(opened))
    }

    fn check<'a>(
        &'a self,
        conn: &'a mut Connection,
    ) -> PoolFuture<'a, Result<(), rusqlite::Error>> {
        let checked = conn.query_row("SELECT 1", [], |_| Ok(()));
        Box::pin(core::future::ready(checked))
    }

    fn is_broken(&self, conn: &mut Connection) -> bool {
        // A transaction left open by the last user must not leak into the next.
        !conn.is_autocommit()
    }

    fn classify(&self, error: &rusqlite::Error) -> Failure {
        match error {
            rusqlite::Error::SqliteFailure(code, _)
                if code.code == rusqlite::ErrorCode::CannotOpen =>
            {
                Failure::Permanent
            }
            _ => Failure::Transient,
        }
    }
}
