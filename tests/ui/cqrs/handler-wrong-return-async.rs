use patternkit::cqrs::{handlers, Command, Query};

#[derive(Command)]
#[command(output = u64)]
struct CreateUser;

#[derive(Query)]
#[query(output = String)]
struct GetName;

struct Users;

#[handlers]
impl Users {
    #[command]
    async fn create(&self, _: CreateUser) -> Result<u64, std::io::Error> {
        Ok(1)
    }

    #[query]
    fn name(&self, _: GetName) -> String {
        String::new()
    }
}

fn main() {}
