use patternkit::cqrs::{handlers, Bus, Command};

#[derive(Command)]
struct Ping;

struct Pinger;

#[handlers]
impl Pinger {
    #[command]
    fn ping(&self, _: Ping) -> Result<(), std::convert::Infallible> {
        Ok(())
    }
}

struct NotABehavior;

#[derive(Bus)]
struct App {
    #[behavior(Ping)]
    log: NotABehavior,
    #[handles(Ping)]
    pinger: Pinger,
}

fn main() {}
