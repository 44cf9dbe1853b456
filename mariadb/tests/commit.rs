//! Two-phase commit across two MariaDB participants on the server of this machine
//! (`PATTERNKIT_MARIADB_URL`, by default `mysql://root@127.0.0.1:3306/test`): a transfer that
//! commits, one a participant refuses, a coordinator crash between prepare and commit and a
//! participant that restarts after voting yes, both finished by recovery with nothing left in
//! `XA RECOVER`, and ids the server cannot take. Without a server these tests say why and
//! pass; under `CI=true` they fail.

use mysql_async::prelude::Queryable;
use patternkit::commit::{Decision, Gid, Participant, TwoPhaseCommit};
use patternkit::mariadb::MariaDbParticipant;
use patternkit::store::{CrashPoint, FaultyJournal, Journal, MemoryJournal};
use std::sync::Arc;

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{mariadb_url, reachable, unique};

async fn admin() -> mysql_async::Conn {
    mysql_async::Conn::new(mysql_async::Opts::from_url(&mariadb_url()).unwrap())
        .await
        .unwrap()
}

/// Two participants and their account table, or `None` outside CI without a server. Each
/// test names its participants apart (`test`), as tests share the server.
async fn banks(test: &str) -> Option<(MariaDbParticipant, MariaDbParticipant, String)> {
    let connected = MariaDbParticipant::connect(&format!("{test}-north"), &mariadb_url()).await;
    let north = reachable("MariaDB", connected)?;
    let south = MariaDbParticipant::connect(&format!("{test}-south"), &mariadb_url())
        .await
        .unwrap();
    let table = unique("pk_accounts");
    admin()
        .await
        .query_drop(format!(
            "CREATE TABLE {table} (id VARCHAR(16) PRIMARY KEY, \
             balance BIGINT NOT NULL CHECK (balance >= 0)) ENGINE = InnoDB;
             INSERT INTO {table} VALUES ('alice', 100), ('bob', 0);"
        ))
        .await
        .unwrap();
    Some((north, south, table))
}

async fn balances(table: &str) -> (i64, i64) {
    let rows: Vec<(String, i64)> = admin()
        .await
        .query(format!("SELECT id, balance FROM {table} ORDER BY id"))
        .await
        .unwrap();
    (rows[0].1, rows[1].1)
}

/// Stages a transfer of `amount` from alice (on `from`) to bob (on `to`) under `gid`.
async fn stage(
    from: &MariaDbParticipant,
    to: &MariaDbParticipant,
    table: &str,
    gid: &Gid,
    amount: i64,
) {
    from.begin(gid).await.unwrap();
    to.begin(gid).await.unwrap();
    let debit = format!("UPDATE {table} SET balance = balance - ? WHERE id = 'alice'");
    let credit = format!("UPDATE {table} SET balance = balance + ? WHERE id = 'bob'");
    // A failed debit (the CHECK) makes `from` vote no; the test sees it in the outcome.
    let _ = from.execute(gid, &debit, (amount,)).await;
    to.execute(gid, &credit, (amount,)).await.unwrap();
}

async fn nothing_prepared(participants: &[&MariaDbParticipant], gid: &Gid) {
    for participant in participants {
        let held = participant.in_doubt().await.unwrap();
        assert!(
            !held.contains(gid),
            "{gid} left prepared on {}",
            participant.name()
        );
    }
}

#[tokio::test]
async fn a_transfer_commits_on_both_and_one_without_funds_on_neither() {
    let Some((north, south, table)) = banks("transfer").await else {
        return;
    };
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());

    let gid = Gid::new(&unique("ok")).unwrap();
    stage(&north, &south, &table, &gid, 30).await;
    let decision = coordinator.run(&gid, &[&north, &south]).await.unwrap();
    assert_eq!(decision, Decision::Commit);
    assert_eq!(balances(&table).await, (70, 30));

    let gid = Gid::new(&unique("too-much")).unwrap();
    stage(&north, &south, &table, &gid, 500).await;
    let decision = coordinator.run(&gid, &[&north, &south]).await.unwrap();
    assert_eq!(decision, Decision::Abort);
    assert_eq!(
        balances(&table).await,
        (70, 30),
        "the credit was rolled back too"
    );
    nothing_prepared(&[&north, &south], &gid).await;
}

#[tokio::test]
async fn a_coordinator_crash_between_prepare_and_commit_is_finished_by_recovery() {
    let Some((north, south, table)) = banks("crash").await else {
        return;
    };
    let log = Arc::new(MemoryJournal::new());
    // Write 1 of the log is the decision: the crash comes after both prepared.
    let crashing = TwoPhaseCommit::new(
        FaultyJournal::new(Arc::clone(&log)).crash_at(1, CrashPoint::BeforeWrite),
    );
    let gid = Gid::new(&unique("crash")).unwrap();
    stage(&north, &south, &table, &gid, 40).await;
    assert!(crashing.run(&gid, &[&north, &south]).await.is_err());
    assert!(
        north.in_doubt().await.unwrap().contains(&gid),
        "prepared, holding locks"
    );
    drop((north, south));

    // A restarted coordinator with new connections: no decision was logged, so abort.
    let north = MariaDbParticipant::connect("crash-north", &mariadb_url())
        .await
        .unwrap();
    let south = MariaDbParticipant::connect("crash-south", &mariadb_url())
        .await
        .unwrap();
    let recovered = TwoPhaseCommit::new(log)
        .recover(&[&north, &south])
        .await
        .unwrap();
    assert_eq!(recovered, vec![(gid.clone(), Decision::Abort)]);
    assert_eq!(balances(&table).await, (100, 0));
    nothing_prepared(&[&north, &south], &gid).await;
}

#[tokio::test]
async fn a_participant_that_restarts_after_voting_yes_commits_from_its_new_connection() {
    let Some((north, south, table)) = banks("restart").await else {
        return;
    };
    let log = Arc::new(MemoryJournal::new());
    let gid = Gid::new(&unique("restart")).unwrap();
    stage(&north, &south, &table, &gid, 25).await;
    // Both vote yes; then `south`'s process goes away before it hears the decision.
    assert!(north.prepare(&gid).await.unwrap());
    assert!(south.prepare(&gid).await.unwrap());
    drop(south);
    // The coordinator decides commit and cannot reach `south`: recovery tells it later.
    log.append("2pc", gid.as_str(), "begun").await.unwrap();
    log.append("2pc", gid.as_str(), "commit").await.unwrap();
    let south = MariaDbParticipant::connect("restart-south", &mariadb_url())
        .await
        .unwrap();
    assert!(south.in_doubt().await.unwrap().contains(&gid));
    let recovered = TwoPhaseCommit::new(log)
        .recover(&[&north, &south])
        .await
        .unwrap();
    assert_eq!(recovered, vec![(gid.clone(), Decision::Commit)]);
    assert_eq!(balances(&table).await, (75, 25));
    nothing_prepared(&[&north, &south], &gid).await;
}

#[tokio::test]
async fn a_global_id_held_prepared_elsewhere_is_refused_and_left_alone() {
    let Some((north, _south, table)) = banks("dup").await else {
        return;
    };
    let gid = Gid::new(&unique("dup")).unwrap();
    // Another coordinator's transaction holds `gid` prepared on this server.
    let other = MariaDbParticipant::connect("dup-north", &mariadb_url())
        .await
        .unwrap();
    other.begin(&gid).await.unwrap();
    let debit = format!("UPDATE {table} SET balance = balance - 10 WHERE id = 'alice'");
    other.execute(&gid, &debit, ()).await.unwrap();
    assert!(other.prepare(&gid).await.unwrap());

    let error = north.begin(&gid).await.unwrap_err();
    assert!(error.0.contains("held prepared"), "{error}");
    // A coordinator that runs it anyway gets a no vote, and its rollback leaves the other
    // coordinator's transaction prepared.
    let decision = TwoPhaseCommit::new(MemoryJournal::new())
        .run(&gid, &[&north])
        .await
        .unwrap();
    assert_eq!(decision, Decision::Abort);
    assert!(other.in_doubt().await.unwrap().contains(&gid));
    other.commit(&gid).await.unwrap();
    assert_eq!(balances(&table).await, (90, 0));
}

#[tokio::test]
async fn ids_the_server_cannot_take_are_refused_before_anything_starts() {
    let Some((north, _south, _table)) = banks("ids").await else {
        return;
    };
    let long = Gid::new(&"x".repeat(65)).unwrap();
    let error = north.begin(&long).await.unwrap_err();
    assert!(error.0.contains("64 bytes"), "{error}");
    let error = MariaDbParticipant::connect("a'b", &mariadb_url())
        .await
        .err()
        .unwrap();
    assert!(error.0.contains("cannot name a participant"), "{error}");
    let error = MariaDbParticipant::connect("x", "postgres://nowhere")
        .await
        .err()
        .unwrap();
    assert!(error.0.contains("MariaDB"), "{error}");
}
