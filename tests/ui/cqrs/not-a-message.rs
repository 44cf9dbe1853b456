use patternkit::cqrs::{Bus, Command};

struct Plain;

#[derive(Command)]
struct CreateUser;

struct Users;

#[derive(Bus)]
struct AppBus {
    #[handles(Plain)]
    users: Users,
}

fn main() {}
