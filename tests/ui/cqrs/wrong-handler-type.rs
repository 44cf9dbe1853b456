use patternkit::cqrs::{Bus, Command, Query};

#[derive(Command)]
struct CreateUser;

#[derive(Query)]
struct GetUser;

struct Users;
struct Reports;

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser)]
    users: Users,
    #[handles(GetUser)]
    reports: Reports,
}

fn main() {}
