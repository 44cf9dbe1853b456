use patternkit::Factory;

#[derive(Factory)]
struct Channel {
    name: String,
}

fn main() {}
