//! A factory that is not an enum is one error: its functions and kind enum still exist, so
//! the code using them adds none.
use patternkit::Factory;

#[derive(Factory)]
#[factory(display)]
struct Channel {
    name: String,
}

fn main() {
    let channel = Channel::from_name("email");
    let _ = channel.map(|channel| (channel.kind(), channel.to_string(), channel.name));
    let _ = (ChannelKind::ALL, ChannelKind::NAMES, Channel::kinds());
}
