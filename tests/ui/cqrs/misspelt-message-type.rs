//! A misspelt message type in `#[handles(..)]` or `#[subscribes(..)]` is one error each, where
//! it is written: inside the generated impls the message is `Self`, named once in each header.
use patternkit::cqrs::{Bus, Command, Event, handlers};

#[derive(Debug, Command)]
#[command(output = u32)]
struct CreateUser;

#[derive(Debug, Event)]
struct UserCreated;

#[derive(Default)]
struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }

    #[event]
    fn created(&self, _: &UserCreated) {}
}

#[derive(Bus, Default)]
struct AppBus {
    #[handles(CreateUsr)]
    #[subscribes(UserCraeted)]
    users: Users,
}

fn main() {
    let _ = AppBus::default();
}
