use patternkit::Factory;

#[derive(Factory)]
#[factory(kinds = ChannelType)]
enum Channel {
    Email,
    #[factory(rename = "text")]
    Sms,
}

fn main() {}
