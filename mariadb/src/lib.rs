//! MariaDB for patternkit: a participant of two-phase commit through XA transactions, and a
//! [`MariaDbManager`] for the connection pool.
//!
//! Depend on `patternkit` with the `mariadb` feature and use `patternkit::mariadb`. The
//! connections run on the tokio runtime the participant is used on.
//!
//! ```no_run
//! use patternkit::commit::{Gid, TwoPhaseCommit};
//! use patternkit::mariadb::MariaDbParticipant;
//! use patternkit::store::MemoryJournal;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let bank = MariaDbParticipant::connect("bank", "mysql://root@127.0.0.1:3306/test").await?;
//! let gid = Gid::new("transfer-42")?;
//! bank.begin(&gid).await?;
//! bank.execute(&gid, "UPDATE accounts SET balance = balance + ? WHERE id = ?", (10, "bob"))
//!     .await?;
//! let decision = TwoPhaseCommit::new(MemoryJournal::new()).run(&gid, &[&bank]).await?;
//! # let _ = decision;
//! # Ok(())
//! # }
//! ```
//!
//! Each transaction is an XA branch (`XA START` … `XA END`, `XA PREPARE`), identified by the
//! global id (at most 64 bytes in MariaDB) and the participant's name. MariaDB keeps a
//! prepared branch across a disconnect and a restart, so the decision can be applied from
//! any connection; `XA RECOVER` lists what a crash left prepared, and
//! [`TwoPhaseCommit::recover`](patternkit_commit::TwoPhaseCommit::recover) finishes it.

mod participant;
mod pool;

pub use participant::MariaDbParticipant;
pub use pool::MariaDbManager;
