//! Factory: build the variants of an enum, and trait objects, from a kind or a name.

use patternkit::prelude::*;

trait Notifier {
    fn notify(&self, who: &str) -> String;
}

#[derive(Default)]
struct Email {
    sender: String,
}

impl Notifier for Email {
    fn notify(&self, who: &str) -> String {
        format!("email to {who} from {:?}", self.sender)
    }
}

struct Sms {
    gateway: &'static str,
}

impl Notifier for Sms {
    fn notify(&self, who: &str) -> String {
        format!("text to {who} via {}", self.gateway)
    }
}

#[derive(Default)]
struct Push;

impl Notifier for Push {
    fn notify(&self, who: &str) -> String {
        format!("push notification to {who}")
    }
}

#[derive(Factory)]
#[factory(product = dyn Notifier, rename_all = "kebab-case")]
enum Channel {
    #[factory(alias = "mail")]
    Email(Email),
    #[factory(with = || Sms { gateway: "twilio" }, alias = "text")]
    Sms(Sms),
    PushNotification(Push),
}

pub fn run() {
    println!("Factory");
    println!("-------");
    println!(
        "`#[derive(Factory)]` on `enum Channel` generated `ChannelKind`: {:?}",
        ChannelKind::ALL
    );
    let names: Vec<&str> = ChannelKind::ALL.iter().map(|k| k.name()).collect();
    println!("each kind has a name (kebab-case here, snake_case by default): {names:?}");
    for requested in ["mail", "SMS", "push-notification", "emial"] {
        match Channel::from_name(requested) {
            Ok(channel) => println!(
                "Channel::from_name({requested:?}) gave kind `{}`, whose product says: {}",
                channel.kind(),
                channel.into_product().notify("ada")
            ),
            Err(error) => println!("Channel::from_name({requested:?}) failed: {error}"),
        }
    }
    let sms = Channel::create_product(ChannelKind::Sms);
    println!(
        "Channel::create_product(ChannelKind::Sms) built the Sms with its `with` constructor: {}",
        sms.notify("grace")
    );
    println!();
}
