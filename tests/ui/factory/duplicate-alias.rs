use patternkit::Factory;

#[derive(Factory)]
enum Channel {
    #[factory(alias = "text")]
    Sms,
    #[factory(alias = "Text")]
    Push,
}

fn main() {}
