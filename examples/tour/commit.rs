//! Two-phase commit: a transfer between two SQLite files, all or nothing, with the decision
//! logged before anyone hears it.

use patternkit::commit::{Decision, Gid, TwoPhaseCommit};
use patternkit::cqrs::block_on;
use patternkit::sqlite::{SqliteAccounts, SqliteJournal};

fn transfer(
    coordinator: &TwoPhaseCommit<SqliteJournal>,
    (north, south): (&SqliteAccounts, &SqliteAccounts),
    id: &str,
    amount: i64,
) -> Result<Decision, Box<dyn std::error::Error>> {
    let gid = Gid::new(id)?;
    north.stage(&gid, "alice", -amount)?;
    south.stage(&gid, "bob", amount)?;
    Ok(block_on(coordinator.run(&gid, &[north, south]))?)
}

pub fn run() {
    println!("Two-phase commit\n----------------");
    if let Err(error) = demo() {
        println!("  the demo could not run: {error}\n");
    }
}

fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("patternkit-tour-2pc-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let north = SqliteAccounts::open("north", dir.join("north.db"))?;
    let south = SqliteAccounts::open("south", dir.join("south.db"))?;
    north.open_account("alice", 100)?;
    south.open_account("bob", 0)?;
    let coordinator = TwoPhaseCommit::new(SqliteJournal::open(dir.join("decisions.db"))?);
    println!("  alice (north.db) has 100, bob (south.db) has 0.");
    let decision = transfer(&coordinator, (&north, &south), "transfer-1", 30)?;
    println!(
        "  move 30: both prepare (reserve), the coordinator logs {decision:?}, both apply it \
         -> alice {}, bob {}",
        north.balance("alice")?,
        south.balance("bob")?
    );
    let decision = transfer(&coordinator, (&north, &south), "transfer-2", 500)?;
    println!(
        "  move 500: north votes no (not enough money), so {decision:?} everywhere -> alice \
         {}, bob {}",
        north.balance("alice")?,
        south.balance("bob")?
    );
    println!("  After a crash, `coordinator.recover(..)` finishes what the log decided.\n");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
