use patternkit::cqrs::{handlers, Query, Registry};

#[derive(Query)]
#[query(output = u64)]
struct CountUsers;

struct Users;

#[handlers]
impl Users {
    #[query]
    fn count(&self, _: CountUsers) -> Result<u64, std::convert::Infallible> {
        Ok(0)
    }
}

fn main() {
    let _ = Registry::builder().command::<CountUsers>(Users);
}
