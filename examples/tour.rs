//! A tour of patternkit: every pattern the crate has, each step said in plain words.
//!
//! Run it with `cargo run --example tour`.

#[path = "tour/commit.rs"]
mod commit;
#[path = "tour/cqrs.rs"]
mod cqrs;
#[path = "tour/di.rs"]
mod di;
#[path = "tour/factory.rs"]
mod factory;
#[path = "tour/messaging.rs"]
mod messaging;
#[path = "tour/pool.rs"]
mod pool;
#[path = "tour/saga.rs"]
mod saga;
#[path = "tour/singleton.rs"]
mod singleton;
#[path = "tour/state_machine.rs"]
mod state_machine;

fn main() {
    println!("patternkit tour\n===============\n");
    singleton::run();
    factory::run();
    state_machine::run();
    cqrs::run();
    di::run();
    saga::run();
    commit::run();
    pool::run();
    messaging::run();
    println!("\nThat is the whole tour. Each section is in examples/tour/, ready to copy.");
}

/// Runs `f`, expecting it to panic, and returns the panic message without printing it.
fn caught_panic(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(hook);
    match result {
        Ok(()) => "(no panic)".to_owned(),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default(),
    }
}
