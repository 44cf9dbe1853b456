use patternkit::Factory;

fn make() -> u8 {
    1
}

#[derive(Factory)]
enum Channel {
    #[factory(with = make)]
    Email,
    #[factory(with = make)]
    Sms(u8, u8),
}

fn main() {}
