//! `#[saga]` on the type instead of its impl block is one error: the type still implements
//! `Saga` (without steps), so the runner of it adds none.
use patternkit::saga::{Saga, SagaRunner, saga};

#[saga(input = u64)]
struct PlaceOrder;

fn main() {
    let journal = patternkit::sqlite::SqliteJournal::in_memory().unwrap();
    let runner = SagaRunner::new(PlaceOrder, journal);
    let _ = patternkit::cqrs::block_on(runner.start("order-1", 42));
    let _ = PlaceOrder::to_mermaid();
}
