use patternkit::Factory;

trait Notifier {}

#[derive(Default)]
struct Email;
impl Notifier for Email {}

#[derive(Default)]
struct Sms;

#[derive(Factory)]
#[factory(product = dyn Notifier)]
enum Channel {
    Email(Email),
    Sms(Sms),
}

fn main() {}
