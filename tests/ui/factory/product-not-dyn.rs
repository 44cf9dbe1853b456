use patternkit::Factory;

#[derive(Factory)]
#[factory(product = String)]
enum Channel {
    Email(String),
}

fn main() {}
