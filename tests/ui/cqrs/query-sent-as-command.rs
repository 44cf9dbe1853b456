use patternkit::cqrs::{block_on, handlers, Bus, Query};

#[derive(Query)]
#[query(output = u32)]
struct CountUsers;

struct Users;

#[handlers]
impl Users {
    #[query]
    fn count(&self, _: CountUsers) -> Result<u32, std::convert::Infallible> {
        Ok(0)
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CountUsers)]
    users: Users,
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = block_on(bus.send(CountUsers));
}
