//! A handler method with a wrong signature is one error at the method: its handler is still
//! implemented, so the bus that registers it and the code sending through the bus add none.
use patternkit::cqrs::{Bus, Command, Event, Query, handlers};

#[derive(Command)]
#[command(output = u32)]
struct CreateUser;

#[derive(Query)]
#[query(output = u32)]
struct CountUsers;

#[derive(Command)]
struct DeleteUser;

#[derive(Event)]
struct UserCreated;

struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(&mut self, _: CreateUser) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }

    #[query]
    fn count(&self, _: &CountUsers) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }

    #[command]
    fn delete<T>(&self, _: DeleteUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    #[event]
    fn created(&self, _: UserCreated) {}
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser, CountUsers, DeleteUser)]
    #[subscribes(UserCreated)]
    users: Users,
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = bus.send(CreateUser);
    let _ = bus.ask(CountUsers);
    let _ = bus.send(DeleteUser);
    let _ = bus.publish(&UserCreated);
}
