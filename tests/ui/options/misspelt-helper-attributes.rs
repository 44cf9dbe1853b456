//! A misspelt helper attribute is the compiler's one error ("cannot find attribute"): the
//! derive reads it as the attribute meant, so the code relying on it adds none.
use std::sync::Arc;

use patternkit::cqrs::{Bus, Command, handlers};
use patternkit::di::{Each, Inject};
use patternkit::saga::{StepContext, saga};
use patternkit::{Factory, StateMachine};

#[derive(Command)]
#[command(output = u32)]
struct CreateUser;

struct Users;

#[handlers]
impl Users {
    #[comand]
    fn create(&self, _: CreateUser) -> Result<u32, std::convert::Infallible> {
        Ok(1)
    }
}

#[derive(Bus)]
struct AppBus {
    #[handle(CreateUser)]
    users: Users,
}

enum Event {
    Open,
}

#[derive(StateMachine)]
#[state_machin(event = Event, initial = Closed, transitions = [
    Closed + Open => Opened,
    Opened + Open => Closed,
])]
enum Door {
    Closed,
    Opened,
}

struct Gateway(&'static str);

fn gateway() -> Gateway {
    Gateway("smtp")
}

#[derive(Factory)]
enum Channel {
    Email(#[factroy(with = gateway)] Gateway),
}

#[derive(Inject)]
struct Mailer {
    #[injct(with = gateway)]
    gateway: Gateway,
}

#[derive(patternkit::di::Container, Default)]
struct AppContainer {
    #[provid(Mailer, transient)]
    mailer: Each<Mailer>,
}

struct PlaceOrder;

#[saga(input = u64)]
impl PlaceOrder {
    #[stpe(compensate = cancel_order)]
    async fn create_order(&self, cx: &StepContext) -> Result<String, std::io::Error> {
        Ok(cx.id().to_owned())
    }

    async fn cancel_order(&self, create_order: String) -> Result<(), std::io::Error> {
        let _ = create_order;
        Ok(())
    }

    #[step(pivot)]
    async fn ship(&self, create_order: &String) -> Result<(), std::io::Error> {
        let _ = create_order;
        Ok(())
    }
}

fn main() {
    let _ = AppBus { users: Users }.send(CreateUser);
    let _ = Door::initial().fire(&Event::Open);
    let _ = Channel::create(ChannelKind::Email);
    let mailer: Arc<Mailer> = AppContainer::default().resolve::<Mailer>();
    let _ = mailer.gateway.0;
}
