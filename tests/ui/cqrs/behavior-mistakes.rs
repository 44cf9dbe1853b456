use patternkit::cqrs::{handlers, After, Bus, Command, Event, Response};

#[derive(Command)]
struct Ping;

#[derive(Command)]
struct Pong;

#[derive(Event)]
struct Pinged;

struct Pinger;

#[handlers]
impl Pinger {
    #[command]
    fn ping(&self, _: Ping) -> Result<(), std::convert::Infallible> {
        Ok(())
    }

    #[event]
    fn pinged(&self, _: &Pinged) {}
}

#[derive(Bus)]
struct App {
    #[behavior(Ping, Pong)]
    log: After<fn(&Response<Ping>)>,
    #[behavior(Pinged)]
    audit: After<fn(&Response<Ping>)>,
    #[behavior]
    #[behavior(Ping)]
    twice: After<fn(&Response<Ping>)>,
    #[handles(Ping)]
    #[subscribes(Pinged)]
    pinger: Pinger,
}

fn main() {}
