//! A broken saga is one error: its uses compile against the fallback impl.
use patternkit::saga::{SagaRunner, saga};
use patternkit::store::MemoryJournal;

struct PlaceOrder;

#[saga(input = u32)]
impl PlaceOrder {
    #[step]
    fn charge(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {
    let runner = SagaRunner::new(PlaceOrder, MemoryJournal::new());
    let _ = runner.start("1", 7);
}
