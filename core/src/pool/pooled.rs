//! A connection checked out of a pool: it goes back when dropped.

use core::fmt;
use core::ops::{Deref, DerefMut};
use std::time::Instant;

use super::Pool;
use super::manager::Manager;
use super::state::{Closed, Conn, lock};

/// A connection checked out of a [`Pool`]; it goes back when dropped (or is closed, if the
/// manager finds it [broken](Manager::is_broken) or it outlived its lifetime).
///
/// [`Pool::get`] lends it for as long as the pool is borrowed, which costs nothing more;
/// [`Pool::get_owned`] (or [`into_owned`](Pooled::into_owned)) gives one that holds a handle
/// of its own, to keep in a struct or move into a spawned task.
pub struct Pooled<'p, M: Manager> {
    conn: Option<Conn<M::Connection>>,
    home: Home<'p, M>,
    taken: Instant,
}

/// The pool a connection goes back to: borrowed by the checkout, or held by the connection.
enum Home<'p, M: Manager> {
    Borrowed(&'p Pool<M>),
    Owned(Pool<M>),
}

impl<'p, M: Manager> Pooled<'p, M> {
    pub(crate) fn new(conn: Conn<M::Connection>, pool: &'p Pool<M>, taken: Instant) -> Self {
        Pooled {
            conn: Some(conn),
            home: Home::Borrowed(pool),
            taken,
        }
    }

    fn pool(&self) -> &Pool<M> {
        match &self.home {
            Home::Borrowed(pool) => pool,
            Home::Owned(pool) => pool,
        }
    }

    /// The same checkout, holding a handle to the pool instead of borrowing it: `'static`,
    /// so it can be kept anywhere or moved into a spawned task.
    ///
    /// ```
    /// use patternkit::pool::Pool;
    /// use patternkit::sqlite::SqliteManager;
    ///
    /// let file = std::env::temp_dir().join("patternkit-doc-into-owned.db");
    /// let pool = Pool::builder(SqliteManager::new(file)).max_size(2).build()?;
    /// let conn = pool.get_blocking()?.into_owned();
    /// let sum = std::thread::spawn(move || conn.query_row("SELECT 1 + 1", [], |r| r.get::<_, i64>(0)))
    ///     .join()
    ///     .expect("the query ran")?;
    /// assert_eq!(sum, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn into_owned(mut self) -> Pooled<'static, M> {
        let conn = self.take();
        Pooled {
            conn: Some(conn),
            home: Home::Owned(self.pool().clone()),
            taken: self.taken,
        }
    }

    /// Takes the connection out of the pool for good; the pool may open another in its
    /// place.
    #[must_use]
    pub fn detach(mut self) -> M::Connection {
        let conn = self.take();
        lock(&self.pool().shared.state)
            .forget(conn.id, Closed::Detached)
            .run();
        conn.value
    }

    /// Closes the connection instead of returning it (the caller knows it is broken).
    pub fn discard(mut self) {
        let conn = self.take();
        let after = lock(&self.pool().shared.state).forget(conn.id, Closed::Detached);
        drop(conn.value);
        after.run();
    }

    fn take(&mut self) -> Conn<M::Connection> {
        match self.conn.take() {
            Some(conn) => conn,
            // `conn` is only taken by `detach`, `discard`, `into_owned` and `drop`, which
            // consume `self`.
            None => unreachable!("a checked-out connection is present until consumed"),
        }
    }
}

impl<M: Manager> Deref for Pooled<'_, M> {
    type Target = M::Connection;

    fn deref(&self) -> &M::Connection {
        match &self.conn {
            Some(conn) => &conn.value,
            None => unreachable!("a checked-out connection is present until consumed"),
        }
    }
}

impl<M: Manager> DerefMut for Pooled<'_, M> {
    fn deref_mut(&mut self) -> &mut M::Connection {
        match &mut self.conn {
            Some(conn) => &mut conn.value,
            None => unreachable!("a checked-out connection is present until consumed"),
        }
    }
}

impl<M: Manager> Drop for Pooled<'_, M> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool().give_back(conn, self.taken);
        }
    }
}

impl<M: Manager> fmt::Debug for Pooled<'_, M>
where
    M::Connection: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pooled").field(&**self).finish()
    }
}
