//! A connection checked out of a pool: it goes back when dropped.

use core::fmt;
use core::ops::{Deref, DerefMut};
use std::time::Instant;

use super::Pool;
use super::manager::Manager;
use super::state::{Closed, Conn, lock};

/// A connection checked out of a [`Pool`]; it goes back when dropped (or is closed, if the
/// manager finds it [broken](Manager::is_broken) or it outlived its lifetime).
pub struct Pooled<'p, M: Manager> {
    conn: Option<Conn<M::Connection>>,
    pool: &'p Pool<M>,
    taken: Instant,
}

impl<'p, M: Manager> Pooled<'p, M> {
    pub(crate) fn new(conn: Conn<M::Connection>, pool: &'p Pool<M>, taken: Instant) -> Self {
        Pooled {
            conn: Some(conn),
            pool,
            taken,
        }
    }

    /// Takes the connection out of the pool for good; the pool may open another in its
    /// place.
    #[must_use]
    pub fn detach(mut self) -> M::Connection {
        let conn = self.take();
        lock(&self.pool.shared.state)
            .forget(conn.id, Closed::Detached)
            .run();
        conn.value
    }

    /// Closes the connection instead of returning it (the caller knows it is broken).
    pub fn discard(mut self) {
        let conn = self.take();
        let after = lock(&self.pool.shared.state).forget(conn.id, Closed::Detached);
        drop(conn.value);
        after.run();
    }

    fn take(&mut self) -> Conn<M::Connection> {
        match self.conn.take() {
            Some(conn) => conn,
            // `conn` is only taken by `detach`, `discard` and `drop`, which consume `self`.
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
            self.pool.give_back(conn, self.taken);
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
