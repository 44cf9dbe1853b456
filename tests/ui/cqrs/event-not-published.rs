use patternkit::cqrs::{block_on, Bus, Event};

#[derive(Event)]
struct UserDeleted;

#[derive(Bus)]
struct AppBus {}

fn main() {
    let bus = AppBus {};
    block_on(bus.publish(&UserDeleted));
}
