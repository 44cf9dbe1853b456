use patternkit::cqrs::{Bus, Event, handlers};

#[derive(Event)]
struct UserCreated;

struct Audit;

#[handlers]
impl Audit {
    #[event]
    fn on_created(&self, _: &UserCreated) {}
}

#[derive(Bus)]
struct AppBus {
    #[handles(UserCreated)]
    audit: Audit,
}

fn main() {}
