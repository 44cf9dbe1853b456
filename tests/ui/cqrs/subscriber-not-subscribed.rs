//! A field subscribed to an event it has no handler for is one error, at the field, however
//! often the event is published.
use patternkit::cqrs::{Bus, Event, block_on};

#[derive(Debug, Event)]
struct UserCreated;

#[derive(Default)]
struct Mailer;

#[derive(Bus, Default)]
struct AppBus {
    #[subscribes(UserCreated)]
    mailer: Mailer,
}

fn main() {
    let bus = AppBus::default();
    let _ = block_on(bus.publish(&UserCreated));
    let _ = block_on(bus.publish_concurrently(&UserCreated));
}
