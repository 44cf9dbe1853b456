//! The same three mistakes as in every macro's `option-mistakes` case.
use patternkit::Factory;

#[derive(Factory)]
#[factory(knd = ChannelKind, crate = ::patternkit, crate = ::patternkit)]
enum Channel {
    #[factory(skip = true)]
    Email,
    Sms,
}

fn main() {}
