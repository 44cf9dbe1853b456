//! Creating the tables a component needs, once, without blocking anyone once they exist.

use tokio_postgres::Client;

/// Runs `schema` (statements ending with the creation of `last`, an index or table) unless
/// `last` exists already.
///
/// When the tables exist, nothing but a catalog lookup runs: `CREATE INDEX IF NOT EXISTS`
/// takes a share lock on its table before it notices the index is there, so running the
/// schema again would wait behind every open transaction writing to that table, and every
/// writer after it would wait behind the schema — a deadlock when one of those writers is
/// what the open transaction waits for. When they do not, processes installing at once are
/// serialised by the transaction-scoped advisory lock `lock` (`IF NOT EXISTS` alone races),
/// and the schema commits as a whole, so `last` existing means everything does.
pub(crate) async fn install(
    client: &Client,
    lock: i64,
    last: &str,
    schema: &str,
) -> Result<(), tokio_postgres::Error> {
    let present: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&last])
        .await?
        .get(0);
    if present {
        return Ok(());
    }
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({lock}); {schema} COMMIT;"
        ))
        .await
}
