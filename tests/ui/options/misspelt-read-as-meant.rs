//! A misspelt option is one error: its value is read as the option it is closest to, so the
//! rest of the build is what was meant.
use patternkit::cqrs::{Bus, Command, handlers};
use patternkit::{StateMachine, singleton};

#[derive(Command)]
#[command(outptu = u32)]
struct CreateUser;

struct Users;

#[handlers]
impl Users {
    #[command]
    fn create(&self, _: CreateUser) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser)]
    users: Users,
}

struct Keys {
    held: bool,
}

enum Event {
    Open,
}

#[derive(StateMachine)]
#[state_machine(event = Event, contxt = Keys, initial = Closed, transitions = [
    Closed + Open => Opened,
])]
enum Door {
    Closed,
    Opened,
}

#[singleton(int = Settings::load)]
struct Settings {
    level: u8,
}

impl Settings {
    fn load() -> Self {
        Settings { level: 1 }
    }
}

fn main() {
    let bus = AppBus { users: Users };
    let _ = bus.send(CreateUser);
    let mut keys = Keys { held: true };
    let mut door = Door::initial();
    let _ = door.fire(&Event::Open, &mut keys);
    let _ = keys.held;
    let _ = Settings::instance().level;
}
