//! The SQLite journal: what every journal must do, the saga crash proof on it, durability
//! across reopening, two journals on one file, and errors instead of panics.

#[path = "../../tests/support/journal_conformance.rs"]
mod journal_conformance;
#[path = "../../tests/support/order_saga.rs"]
mod order_saga;

use std::sync::Arc;
use std::time::Duration;

use patternkit::cqrs::block_on;
use patternkit::saga::{RetryPolicy, SagaError, SagaRunner};
use patternkit::sqlite::SqliteJournal;
use patternkit::store::{Journal, KeyState, StoreError};

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("patternkit-sqlite-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("journal.db")
}

#[test]
fn conforms_in_memory_and_on_disk() {
    block_on(journal_conformance::conforms(
        &SqliteJournal::in_memory().unwrap(),
        "t",
    ));
    block_on(journal_conformance::conforms(
        &SqliteJournal::open(temp_file("conform")).unwrap(),
        "t",
    ));
}

#[test]
fn a_crash_at_every_write_ends_consistent_on_sqlite() {
    let journal = Arc::new(SqliteJournal::open(temp_file("crash")).unwrap());
    block_on(order_saga::crash_proof(journal, "sqlite", "SQLite"));
}

#[test]
fn what_was_written_survives_reopening_and_is_resumed() {
    let path = temp_file("reopen");
    {
        let journal = SqliteJournal::open(&path).unwrap();
        let crashing = patternkit::store::FaultyJournal::new(journal)
            .crash_at(4, patternkit::store::CrashPoint::AfterWrite);
        let runner = SagaRunner::new(
            order_saga::OrderSaga {
                ledger: order_saga::ledger(&[]),
            },
            crashing,
        )
        .lease(Duration::ZERO);
        assert!(block_on(runner.start("r", order_saga::order())).is_err());
    }
    // A new process: the file is all there is.
    let ledger = order_saga::ledger(&[]);
    let runner = SagaRunner::new(
        order_saga::OrderSaga {
            ledger: std::sync::Arc::clone(&ledger),
        },
        SqliteJournal::open(&path).unwrap(),
    )
    .policy(RetryPolicy::immediate());
    let results = block_on(runner.resume_all()).unwrap();
    assert_eq!(results.len(), 1);
    let outcome = results.into_iter().next().unwrap().1.unwrap();
    assert!(outcome.is_completed());
    // The first process's effects came before the crash; together each step took effect once.
    assert!(
        block_on(runner.journal().keys("saga:OrderSaga", KeyState::Open))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn two_journals_on_one_file_respect_each_others_leases() {
    let path = temp_file("shared");
    let one = SqliteJournal::open(&path).unwrap();
    let two = SqliteJournal::open(&path).unwrap();
    let long = Duration::from_secs(60);
    assert!(block_on(one.lease("saga:S", "k", "process-1", long)).unwrap());
    assert!(!block_on(two.lease("saga:S", "k", "process-2", long)).unwrap());
    block_on(one.append("saga:S", "k", "x")).unwrap();
    assert_eq!(block_on(two.read("saga:S", "k")).unwrap(), ["x"]);
    // A runner in the second process cannot drive the run the first one holds.
    let runner = SagaRunner::new(
        order_saga::OrderSaga {
            ledger: order_saga::ledger(&[]),
        },
        two,
    );
    block_on(one.lease("saga:OrderSaga", "held", "process-1", long)).unwrap();
    assert!(matches!(
        block_on(runner.start("held", order_saga::order())),
        Err(SagaError::Busy { .. })
    ));
}

#[test]
fn a_file_that_cannot_be_opened_is_an_error() {
    let error = SqliteJournal::open("/nonexistent-directory/journal.db")
        .err()
        .unwrap();
    assert!(
        matches!(error, StoreError::Unavailable(ref m) if m.starts_with("SQLite:")),
        "{error}"
    );
}

#[test]
fn a_damaged_row_is_an_error_naming_its_key() {
    let path = temp_file("damaged");
    let journal = SqliteJournal::open(&path).unwrap();
    block_on(journal.append("saga:OrderSaga", "bad", "x")).unwrap();
    drop(journal);
    // Behind the journal's back: an entry that is not text.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE patternkit_journal SET entry = X'FF00FE' WHERE key = 'bad'",
            [],
        )
        .unwrap();
    let journal = SqliteJournal::open(&path).unwrap();
    let error = block_on(journal.read("saga:OrderSaga", "bad")).unwrap_err();
    assert!(
        matches!(&error, StoreError::Corrupt { key, .. } if key == "bad"),
        "{error}"
    );
    let runner = SagaRunner::new(
        order_saga::OrderSaga {
            ledger: order_saga::ledger(&[]),
        },
        journal,
    );
    let error = block_on(runner.resume("bad")).unwrap_err();
    assert!(
        matches!(&error, SagaError::Corrupt { id, .. } if id == "bad"),
        "{error}"
    );
}
