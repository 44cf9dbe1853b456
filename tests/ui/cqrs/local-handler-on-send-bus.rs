use patternkit::cqrs::{handlers, Bus, Command};

#[derive(Command)]
struct Ping;

struct Pinger;

#[handlers(local)]
impl Pinger {
    #[command]
    async fn ping(&self, _: Ping) -> Result<(), std::convert::Infallible> {
        Ok(())
    }
}

#[derive(Bus)]
struct App {
    #[handles(Ping)]
    pinger: Pinger,
}

fn main() {}
