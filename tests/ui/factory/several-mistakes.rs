use patternkit::Factory;

// Every mistake is reported in one build.
#[derive(Factory)]
#[factory(rename_all = "sentence")]
enum Channel {
    #[factory(name = "")]
    Email,
    #[factory(skip, alias = "text")]
    Sms,
    Push,
    #[factory(name = "push")]
    Notification,
}

fn main() {}
