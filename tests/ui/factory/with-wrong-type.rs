use patternkit::Factory;

fn gateway() -> u32 {
    7
}

#[derive(Factory)]
enum Channel {
    #[factory(with = gateway)]
    Sms(String),
}

fn main() {}
