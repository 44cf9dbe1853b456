//! A saga with every option, reached through the renamed dependency `pk`.

use pk::saga::{StepContext, saga};

/// Why a transfer step failed.
#[derive(Debug)]
pub struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("declined")
    }
}

/// Moves money between two banks.
#[derive(Debug, Default)]
pub struct Transfer;

#[saga(input = u64, name = "Transfer", crate = pk)]
impl Transfer {
    #[step(compensate = release, attempts = 3, timeout_ms = 2000)]
    async fn reserve(&self, cx: &StepContext, input: &u64) -> Result<String, Declined> {
        Ok(format!("{}:{input}", cx.idempotency_key()))
    }

    async fn release(&self, reserve: String) -> Result<(), Declined> {
        drop(reserve);
        Ok(())
    }

    #[step(pivot, name = "debit")]
    async fn debit_account(&self, reserve: &str) -> Result<u64, Declined> {
        Ok(u64::try_from(reserve.len()).unwrap_or(0))
    }

    #[step(retriable)]
    async fn notify(&self, debit_account: u64) -> Result<(), Declined> {
        if debit_account == 0 {
            Err(Declined)
        } else {
            Ok(())
        }
    }
}
