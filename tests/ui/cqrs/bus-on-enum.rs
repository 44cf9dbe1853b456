//! A bus that is not a struct with named fields is one error: `send`, `ask` and `publish`
//! still exist, so the code using the bus adds none.
use patternkit::cqrs::{Bus, Command, Event, Query};

#[derive(Command)]
struct CreateUser;

#[derive(Query)]
#[query(output = u32)]
struct CountUsers;

#[derive(Event)]
struct UserCreated;

#[derive(Bus)]
enum AppBus {
    One,
}

#[derive(Bus)]
struct TupleBus(u32);

fn main() {
    let bus = AppBus::One;
    let _ = bus.send(CreateUser);
    let _ = bus.ask(CountUsers);
    let _ = bus.publish(&UserCreated);
    let tuple = TupleBus(1);
    let _ = tuple.publish_concurrently(&UserCreated);
}
