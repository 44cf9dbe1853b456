use patternkit::cqrs::{handlers, Command, Event};

#[derive(Command)]
struct CreateUser;

#[derive(Event)]
struct UserCreated;

struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(self, _: CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    #[command]
    fn create_twice(&self, _: &CreateUser) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    #[event]
    fn created(&self, _: UserCreated) {}

    #[query]
    fn nothing(&self) {}
}

fn main() {}
