//! `kind` names one enum to generate, or `Self`.
use patternkit::Factory;

#[derive(Factory)]
#[factory(kind = kinds::ChannelKind)]
enum Channel {
    Email,
}

fn main() {}
