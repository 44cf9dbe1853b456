use patternkit::Factory;

trait Notifier {}

#[derive(Default)]
struct Email;
impl Notifier for Email {}

#[derive(Factory)]
#[factory(product = dyn Notifier)]
enum Channel {
    Email(Email),
    Sms,
    Push(Email, Email),
}

fn main() {}
