//! Accounts in two SQLite files moved atomically by two-phase commit: a transfer that
//! commits, one refused for lack of funds, reservations that keep two transfers from
//! spending the same money, and a coordinator crash finished by recovery from the files.

use std::time::Duration;

use patternkit::commit::{Decision, Gid, Participant, TwoPhaseCommit};
use patternkit::cqrs::block_on;
use patternkit::sqlite::{SqliteAccounts, SqliteJournal};
use patternkit::store::{CrashPoint, FaultyJournal};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("patternkit-accounts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn banks(dir: &std::path::Path) -> (SqliteAccounts, SqliteAccounts) {
    (
        SqliteAccounts::open("north", dir.join("north.db")).unwrap(),
        SqliteAccounts::open("south", dir.join("south.db")).unwrap(),
    )
}

fn total(north: &SqliteAccounts, south: &SqliteAccounts) -> i64 {
    north.balance("alice").unwrap() + south.balance("bob").unwrap()
}

#[test]
fn a_transfer_moves_money_between_two_files_atomically() {
    let dir = temp_dir("commit");
    let (north, south) = banks(&dir);
    north.open_account("alice", 100).unwrap();
    south.open_account("bob", 5).unwrap();
    let gid = Gid::new("t-commit").unwrap();
    north.stage(&gid, "alice", -40).unwrap();
    south.stage(&gid, "bob", 40).unwrap();
    let coordinator = TwoPhaseCommit::new(SqliteJournal::open(dir.join("log.db")).unwrap());
    assert_eq!(
        block_on(coordinator.run(&gid, &[&north, &south])).unwrap(),
        Decision::Commit
    );
    assert_eq!(
        (
            north.balance("alice").unwrap(),
            south.balance("bob").unwrap()
        ),
        (60, 45)
    );
    assert_eq!(total(&north, &south), 105);
}

#[test]
fn a_transfer_without_the_funds_is_refused_everywhere() {
    let dir = temp_dir("refused");
    let (north, south) = banks(&dir);
    north.open_account("alice", 10).unwrap();
    south.open_account("bob", 0).unwrap();
    let gid = Gid::new("t-refused").unwrap();
    north.stage(&gid, "alice", -40).unwrap();
    south.stage(&gid, "bob", 40).unwrap();
    let coordinator = TwoPhaseCommit::new(SqliteJournal::open(dir.join("log.db")).unwrap());
    assert_eq!(
        block_on(coordinator.run(&gid, &[&north, &south])).unwrap(),
        Decision::Abort
    );
    assert_eq!(
        (
            north.balance("alice").unwrap(),
            south.balance("bob").unwrap()
        ),
        (10, 0)
    );
    assert!(block_on(north.in_doubt()).unwrap().is_empty());
    assert!(block_on(south.in_doubt()).unwrap().is_empty());
}

#[test]
fn a_prepared_withdrawal_is_reserved_against_a_second_transfer() {
    let dir = temp_dir("reserved");
    let (north, _) = banks(&dir);
    north.open_account("alice", 50).unwrap();
    let (first, second) = (Gid::new("t-first").unwrap(), Gid::new("t-second").unwrap());
    north.stage(&first, "alice", -40).unwrap();
    north.stage(&second, "alice", -40).unwrap();
    assert!(block_on(north.prepare(&first)).unwrap());
    assert!(
        !block_on(north.prepare(&second)).unwrap(),
        "the first holds 40 of the 50"
    );
    block_on(north.commit(&first)).unwrap();
    assert_eq!(north.balance("alice").unwrap(), 10);
}

#[test]
fn a_coordinator_crash_after_deciding_is_finished_from_the_files() {
    for point in [CrashPoint::BeforeWrite, CrashPoint::AfterWrite] {
        let dir = temp_dir(&format!("crash-{point:?}"));
        let gid = Gid::new("t-crash").unwrap();
        {
            let (north, south) = banks(&dir);
            north.open_account("alice", 100).unwrap();
            south.open_account("bob", 0).unwrap();
            north.stage(&gid, "alice", -25).unwrap();
            south.stage(&gid, "bob", 25).unwrap();
            // Write 1 is the commit decision: lost before it is stored, or stored just before
            // the crash.
            let journal = FaultyJournal::new(SqliteJournal::open(dir.join("log.db")).unwrap())
                .crash_at(1, point);
            let coordinator = TwoPhaseCommit::new(journal).timeout(Duration::from_secs(5));
            assert!(block_on(coordinator.run(&gid, &[&north, &south])).is_err());
        }
        // A new process: the files are all there is.
        let (north, south) = banks(&dir);
        let coordinator = TwoPhaseCommit::new(SqliteJournal::open(dir.join("log.db")).unwrap());
        block_on(coordinator.recover(&[&north, &south])).unwrap();
        let expected = match point {
            CrashPoint::BeforeWrite => (100, 0),
            CrashPoint::AfterWrite => (75, 25),
        };
        assert_eq!(
            (
                north.balance("alice").unwrap(),
                south.balance("bob").unwrap()
            ),
            expected
        );
        assert_eq!(total(&north, &south), 100, "money is neither made nor lost");
        assert!(block_on(north.in_doubt()).unwrap().is_empty());
        assert!(block_on(south.in_doubt()).unwrap().is_empty());
    }
}
