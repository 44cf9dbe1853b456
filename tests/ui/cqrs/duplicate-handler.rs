use patternkit::cqrs::{handlers, Bus, Command};

#[derive(Command)]
struct CreateUser;

struct Users;
struct Admin;

#[handlers]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }
}

#[handlers]
impl Admin {
    #[command]
    fn create(&self, _: CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser)]
    users: Users,
    #[handles(CreateUser)]
    admin: Admin,
}

fn main() {}
