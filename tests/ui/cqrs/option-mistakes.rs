//! The same three mistakes as in every macro's `option-mistakes` case, on each CQRS macro.
use patternkit::cqrs::{Bus, Command, Event};

#[derive(Command)]
#[command(ouput = u32, crate = ::patternkit, crate = ::patternkit)]
struct CreateUser;

#[derive(Event)]
#[event(validate = true)]
struct UserCreated;

struct Users;

#[patternkit::cqrs::handlers(crat = ::patternkit, crate = ::patternkit, crate = ::patternkit)]
impl Users {}

#[derive(Bus)]
#[bus(publish(UserCreated), crate = ::patternkit, crate = ::patternkit)]
struct AppBus {
    users: Users,
}

fn main() {}
