//! A bus and a handler with one mistake each (a misspelt option) give one error each: the
//! handler and the bus's methods still exist, so the code sending through it adds none.
use patternkit::cqrs::{Bus, Command, handlers};

#[derive(Command)]
#[command(output = u32)]
struct CreateUser;

struct Users;

#[handlers(crat = ::patternkit)]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }
}

#[derive(Bus)]
#[bus(publsh())]
struct AppBus {
    #[handles(CreateUser)]
    users: Users,
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = bus.send(CreateUser);
}
