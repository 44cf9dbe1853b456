//! A query's handler marked `#[command]` (or a command's marked `#[query]`) is one error, at
//! the method: the handler is still the right one for the bus, which adds none.
use patternkit::cqrs::{Bus, Command, Query, handlers};

#[derive(Command)]
struct CreateUser;

#[derive(Query)]
#[query(output = u32)]
struct CountUsers;

struct Users;

#[handlers]
impl Users {
    #[query]
    fn create(&self, _: CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    #[command]
    async fn count(&self, _: CountUsers) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser, CountUsers)]
    users: Users,
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = bus.send(CreateUser);
    let _ = bus.ask(CountUsers);
}
