use patternkit::cqrs::{handlers, After, Bus, Command, Response};

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
#[bus(local)]
struct App {
    #[behavior(Ping)]
    log: After<fn(&Response<Ping>)>,
    #[handles(Ping)]
    pinger: Pinger,
}

fn main() {}
