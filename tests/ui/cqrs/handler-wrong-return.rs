use patternkit::cqrs::{handlers, Command};

#[derive(Command)]
#[command(output = u64)]
struct CreateUser;

struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<String, std::convert::Infallible> {
        Ok(String::new())
    }
}

fn main() {}
