//! Two-phase commit across two real databases: move money from Alice's account in
//! PostgreSQL to Bob's in MariaDB, all or nothing.
//!
//! The coordinator is killed between prepare and commit; a new one, started on the same
//! decision log, finishes the transfer, and the total across both servers is unchanged.
//!
//! Needs PostgreSQL with prepared transactions (`max_prepared_transactions > 0`) and MariaDB;
//! their addresses come from `PATTERNKIT_POSTGRES_URL` and `PATTERNKIT_MARIADB_URL`:
//!
//! ```text
//! cargo run -p patternkit-mariadb --example two_phase_commit
//! ```
//!
//! Without servers, `cargo run --example tour` shows the same protocol between two SQLite
//! files.

use std::error::Error;
use std::time::Duration;

use patternkit::commit::{Decision, Gid, Participant, TwoPhaseCommit};
use patternkit::mariadb::MariaDbParticipant;
use patternkit::postgres::{PostgresJournal, PostgresParticipant};
use patternkit::store::{CrashPoint, FaultyJournal};

fn postgres_url() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

fn mariadb_url() -> String {
    std::env::var("PATTERNKIT_MARIADB_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// Both banks as participants. Alice banks with PostgreSQL, Bob with MariaDB.
async fn banks() -> Result<(PostgresParticipant, MariaDbParticipant), Box<dyn Error>> {
    let north = PostgresParticipant::connect("north", &postgres_url()).await?;
    let south = MariaDbParticipant::connect("south", &mariadb_url()).await?;
    Ok((north, south))
}

/// Begins `gid` on both banks and does each side's work inside it (nothing is visible yet).
async fn stage(
    (north, south): (&PostgresParticipant, &MariaDbParticipant),
    gid: &Gid,
    amount: i64,
) -> Result<(), Box<dyn Error>> {
    north.begin(gid).await?;
    south.begin(gid).await?;
    // A debit past the balance fails the CHECK; PostgreSQL then votes no.
    let _ = north
        .execute(
            gid,
            "UPDATE pk_example_accounts SET balance = balance - $1 WHERE id = 'alice'",
            &[&amount],
        )
        .await;
    south
        .execute(
            gid,
            "UPDATE pk_example_accounts SET balance = balance + ? WHERE id = 'bob'",
            (amount,),
        )
        .await?;
    Ok(())
}

async fn balances() -> Result<(i64, i64), Box<dyn Error>> {
    use mysql_async::prelude::Queryable;
    let (client, connection) =
        tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let alice: i64 = client
        .query_one(
            "SELECT balance FROM pk_example_accounts WHERE id = 'alice'",
            &[],
        )
        .await?
        .get(0);
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&mariadb_url())?).await?;
    let bob: Option<i64> = conn
        .query_first("SELECT balance FROM pk_example_accounts WHERE id = 'bob'")
        .await?;
    Ok((alice, bob.unwrap_or(0)))
}

async fn open_accounts() -> Result<(), Box<dyn Error>> {
    use mysql_async::prelude::Queryable;
    let (client, connection) =
        tokio_postgres::connect(&postgres_url(), tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    client
        .batch_execute(
            "DROP TABLE IF EXISTS pk_example_accounts;
             CREATE TABLE pk_example_accounts (id TEXT PRIMARY KEY,
                 balance BIGINT NOT NULL CHECK (balance >= 0));
             INSERT INTO pk_example_accounts VALUES ('alice', 100);",
        )
        .await?;
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&mariadb_url())?).await?;
    conn.query_drop(
        "DROP TABLE IF EXISTS pk_example_accounts;
         CREATE TABLE pk_example_accounts (id VARCHAR(16) PRIMARY KEY,
             balance BIGINT NOT NULL) ENGINE = InnoDB;
         INSERT INTO pk_example_accounts VALUES ('bob', 0);",
    )
    .await?;
    Ok(())
}

/// A gid no earlier run of the example used.
fn gid(what: &str) -> Result<Gid, Box<dyn Error>> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    Ok(Gid::new(&format!("example-{what}-{}", now.as_micros()))?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    open_accounts().await?;
    let log = PostgresJournal::connect(&postgres_url()).await?;
    let coordinator = TwoPhaseCommit::new(log).timeout(Duration::from_secs(5));
    println!(
        "Alice (PostgreSQL) and Bob (MariaDB): {:?}",
        balances().await?
    );

    // 1. A transfer that commits on both servers.
    let (north, south) = banks().await?;
    let id = gid("ok")?;
    stage((&north, &south), &id, 30).await?;
    let decision = coordinator.run(&id, &[&north, &south]).await?;
    println!("move 30: {decision:?} -> {:?}", balances().await?);

    // 2. One PostgreSQL refuses (not enough money): rolled back on both.
    let id = gid("too-much")?;
    stage((&north, &south), &id, 500).await?;
    let decision = coordinator.run(&id, &[&north, &south]).await?;
    println!("move 500: {decision:?} -> {:?}", balances().await?);

    // 3. The coordinator dies right after logging *commit*, before telling anyone (its log
    //    is wrapped to fail there). Both servers hold the transaction prepared, locks and all.
    let id = gid("crash")?;
    stage((&north, &south), &id, 20).await?;
    let dying = TwoPhaseCommit::new(
        FaultyJournal::new(PostgresJournal::connect(&postgres_url()).await?)
            .crash_at(1, CrashPoint::AfterWrite),
    );
    let died = dying.run(&id, &[&north, &south]).await;
    drop((dying, north, south));
    let (north, south) = banks().await?;
    println!(
        "killed after logging commit ({}): prepared on PostgreSQL {:?}, on MariaDB {:?}; \
         balances still {:?}",
        died.err().map(|e| e.to_string()).unwrap_or_default(),
        north.in_doubt().await?,
        south.in_doubt().await?,
        balances().await?
    );

    // 4. A restarted coordinator on the same log finishes it.
    let restarted = TwoPhaseCommit::new(PostgresJournal::connect(&postgres_url()).await?);
    let finished = restarted.recover(&[&north, &south]).await?;
    let (alice, bob) = balances().await?;
    println!(
        "recovery finished {finished:?} -> ({alice}, {bob}), total {}",
        alice + bob
    );
    assert_eq!(alice + bob, 100);
    assert!(
        finished
            .iter()
            .any(|(g, d)| *g == id && *d == Decision::Commit)
    );
    Ok(())
}
