//! The servers the tests run against: their addresses (environment variables, with this
//! machine's defaults), names no other run uses, and what happens when one is unreachable —
//! outside CI the test says why and passes; under `CI=true` it fails.

#![allow(dead_code)]

use std::fmt::Display;

/// `PATTERNKIT_POSTGRES_URL`.
pub fn postgres_url() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

/// `PATTERNKIT_MARIADB_URL`.
pub fn mariadb_url() -> String {
    std::env::var("PATTERNKIT_MARIADB_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// `PATTERNKIT_NATS_URL`.
pub fn nats_url() -> String {
    std::env::var("PATTERNKIT_NATS_URL").unwrap_or_else(|_| "127.0.0.1:4222".into())
}

/// `{what}_{process}_{time}`: a name for tables, streams and ids that no other run uses.
pub fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{what}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// The connected thing, or `None` after saying why outside CI; under `CI=true` an
/// unreachable server fails the test.
pub fn reachable<T, E: Display>(server: &str, connected: Result<T, E>) -> Option<T> {
    match connected {
        Ok(value) => Some(value),
        Err(error) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipped: {server} is unreachable: {error}");
            None
        }
        Err(error) => panic!("CI needs {server}: {error}"),
    }
}
