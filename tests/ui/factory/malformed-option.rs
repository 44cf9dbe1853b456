use patternkit::Factory;

#[derive(Factory)]
enum Channel {
    #[factory(name = text)]
    Sms,
    #[factory(alias)]
    Push,
}

fn main() {}
