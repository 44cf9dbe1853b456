use patternkit::cqrs::{block_on, handlers, Bus, Command};

#[derive(Command)]
struct CreateUser;

#[derive(Command)]
struct DeleteUser;

struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser)]
    users: Users,
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = block_on(bus.send(DeleteUser));
}
