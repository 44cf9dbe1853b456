//! Two-phase commit across two PostgreSQL participants on the server of this machine
//! (`PATTERNKIT_POSTGRES_URL`; prepared transactions allowed by `.ci/postgres-prepared-
//! transactions`): a transfer that commits, one that a participant refuses, and a
//! coordinator crash between prepare and commit finished by recovery, with nothing left in
//! `pg_prepared_xacts`. Without a server these tests say why and pass; under `CI=true` they
//! fail.

use patternkit::commit::{Decision, Gid, Participant, ParticipantFuture, TwoPhaseCommit};
use patternkit::postgres::PostgresParticipant;
use patternkit::store::{CrashPoint, FaultyJournal, MemoryJournal};
use std::sync::Arc;

#[path = "../../tests/support/servers.rs"]
mod servers;
use servers::{postgres_url, reachable, unique};

/// Two participants and their account tables, or `None` outside CI without a server.
async fn banks() -> Option<(PostgresParticipant, PostgresParticipant, String)> {
    let connected = PostgresParticipant::connect("north", &postgres_url()).await;
    let north = reachable("PostgreSQL with prepared transactions", connected)?;
    let south = PostgresParticipant::connect("south", &postgres_url())
        .await
        .unwrap();
    let table = unique("pk_accounts");
    let (admin, connection) = tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    admin
        .batch_execute(&format!(
            "CREATE TABLE {table} (id TEXT PRIMARY KEY, balance BIGINT NOT NULL CHECK (balance >= 0));
             INSERT INTO {table} VALUES ('alice', 100), ('bob', 0);"
        ))
        .await
        .unwrap();
    Some((north, south, table))
}

async fn balances(table: &str) -> (i64, i64) {
    let (admin, connection) = tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let get = async |id: &str| -> i64 {
        admin
            .query_one(
                &format!("SELECT balance FROM {table} WHERE id = $1"),
                &[&id],
            )
            .await
            .unwrap()
            .get(0)
    };
    (get("alice").await, get("bob").await)
}

async fn stage(
    north: &PostgresParticipant,
    south: &PostgresParticipant,
    table: &str,
    gid: &Gid,
    amount: i64,
) {
    north.begin(gid).await.unwrap();
    south.begin(gid).await.unwrap();
    let debit = north
        .execute(
            gid,
            &format!("UPDATE {table} SET balance = balance - $1 WHERE id = 'alice'"),
            &[&amount],
        )
        .await;
    let _ = debit; // a failed debit (not enough money) makes north vote no
    south
        .execute(
            gid,
            &format!("UPDATE {table} SET balance = balance + $1 WHERE id = 'bob'"),
            &[&amount],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_commits_on_both_and_one_without_funds_on_neither() {
    let Some((north, south, table)) = banks().await else {
        return;
    };
    let coordinator = TwoPhaseCommit::new(MemoryJournal::new());
    let gid = Gid::new(&unique("pk-ok")).unwrap();
    stage(&north, &south, &table, &gid, 30).await;
    assert_eq!(
        coordinator.run(&gid, &[&north, &south]).await.unwrap(),
        Decision::Commit
    );
    assert_eq!(balances(&table).await, (70, 30));

    let gid = Gid::new(&unique("pk-refused")).unwrap();
    stage(&north, &south, &table, &gid, 500).await;
    assert_eq!(
        coordinator.run(&gid, &[&north, &south]).await.unwrap(),
        Decision::Abort
    );
    assert_eq!(balances(&table).await, (70, 30), "nothing moved");
    let doubt = north.in_doubt().await.unwrap();
    assert!(!doubt.contains(&gid), "nothing left prepared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_crash_between_prepare_and_commit_is_finished_by_recovery() {
    for point in [CrashPoint::BeforeWrite, CrashPoint::AfterWrite] {
        let Some((north, south, table)) = banks().await else {
            return;
        };
        let journal = Arc::new(MemoryJournal::new());
        let gid = Gid::new(&unique("pk-crash")).unwrap();
        stage(&north, &south, &table, &gid, 25).await;
        // Write 1 is the commit decision, after both prepared.
        let crashing =
            TwoPhaseCommit::new(FaultyJournal::new(Arc::clone(&journal)).crash_at(1, point));
        assert!(crashing.run(&gid, &[&north, &south]).await.is_err());
        assert!(
            north.in_doubt().await.unwrap().contains(&gid),
            "prepared, holding its locks"
        );
        let restarted = TwoPhaseCommit::new(Arc::clone(&journal));
        restarted.recover(&[&north, &south]).await.unwrap();
        let expected = match point {
            CrashPoint::BeforeWrite => (100, 0),
            CrashPoint::AfterWrite => (75, 25),
        };
        assert_eq!(balances(&table).await, expected, "{point:?}");
        assert!(
            !north.in_doubt().await.unwrap().contains(&gid),
            "nothing left prepared"
        );
        assert!(!south.in_doubt().await.unwrap().contains(&gid));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_id_held_prepared_elsewhere_is_refused_and_left_alone() {
    let Some((north, _south, table)) = banks().await else {
        return;
    };
    let gid = Gid::new(&unique("pk-dup")).unwrap();
    // Another coordinator's transaction holds `gid` prepared under north's name.
    let other = PostgresParticipant::connect("north", &postgres_url())
        .await
        .unwrap();
    other.begin(&gid).await.unwrap();
    let debit = format!("UPDATE {table} SET balance = balance - 10 WHERE id = 'alice'");
    other.execute(&gid, &debit, &[]).await.unwrap();
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

/// A participant whose server stops answering at prepare (a hung disk, a cut network); the
/// decision still reaches it afterwards.
struct Silent<'p>(&'p PostgresParticipant);

impl Participant for Silent<'_> {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn prepare<'a>(&'a self, _: &'a Gid) -> ParticipantFuture<'a, bool> {
        Box::pin(std::future::pending())
    }

    fn commit<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        self.0.commit(gid)
    }

    fn rollback<'a>(&'a self, gid: &'a Gid) -> ParticipantFuture<'a, ()> {
        self.0.rollback(gid)
    }

    fn in_doubt(&self) -> ParticipantFuture<'_, Vec<Gid>> {
        self.0.in_doubt()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_that_never_answers_is_a_no_and_every_lock_is_released() {
    let Some((north, south, table)) = banks().await else {
        return;
    };
    let gid = Gid::new(&unique("pk-silent")).unwrap();
    stage(&north, &south, &table, &gid, 10).await;
    let coordinator =
        TwoPhaseCommit::new(MemoryJournal::new()).timeout(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let decision = coordinator
        .run(&gid, &[&north, &Silent(&south)])
        .await
        .unwrap();
    assert_eq!(decision, Decision::Abort);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(!north.in_doubt().await.unwrap().contains(&gid));
    // Both rows are free again: another transaction updates them without waiting.
    let (other, connection) = tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    other
        .batch_execute(&format!(
            "SET lock_timeout = '1s';
             UPDATE {table} SET balance = balance + 1 WHERE id IN ('alice', 'bob');"
        ))
        .await
        .unwrap();
    assert_eq!(balances(&table).await, (101, 1));
}
