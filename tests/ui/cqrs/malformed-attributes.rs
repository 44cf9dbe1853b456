use patternkit::cqrs::{Bus, Command, Event};

#[derive(Command)]
#[command(output = u32, retries = 3)]
struct CreateUser;

#[derive(Event)]
#[event(output = u32)]
struct UserCreated;

struct Users;

#[derive(Bus)]
#[bus(routes(CreateUser))]
struct AppBus {
    #[handles()]
    users: Users,
}

fn main() {}
