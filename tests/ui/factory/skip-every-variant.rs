use patternkit::Factory;

#[derive(Factory)]
enum Channel {
    #[factory(skip)]
    Email,
    #[factory(skip)]
    Sms,
}

fn main() {}
