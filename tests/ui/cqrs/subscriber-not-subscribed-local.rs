//! On a local bus, a field subscribed to an event it has no handler for is reported at the
//! field, and once more at the derive: the local handler trait reaches the missing one
//! through a blanket impl, whose future the delivery holds. Publishing adds none.
use patternkit::cqrs::{Bus, Event, block_on};

#[derive(Debug, Event)]
struct UserCreated;

#[derive(Default)]
struct Mailer;

#[derive(Bus, Default)]
#[bus(local)]
struct AppBus {
    #[subscribes(UserCreated)]
    mailer: Mailer,
}

fn main() {
    let bus = AppBus::default();
    let _ = block_on(bus.publish(&UserCreated));
}
