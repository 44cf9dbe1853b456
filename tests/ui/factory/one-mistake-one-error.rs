//! A factory with one mistake (a name used twice) is one error: its kind enum and functions
//! still exist, so the code using them adds none.
use patternkit::{Factory, FactoryKind};

#[derive(Factory, Debug)]
enum Channel {
    Email,
    #[factory(name = "email")]
    Mail,
    Sms,
}

fn main() {
    let _ = Channel::create(ChannelKind::Sms);
    let _ = Channel::from_name("sms").map(|c| c.kind());
    let _ = (ChannelKind::ALL, ChannelKind::NAMES, ChannelKind::Sms.name());
    let _ = "sms".parse::<ChannelKind>();
    let _ = <ChannelKind as FactoryKind>::from_name("sms");
}
