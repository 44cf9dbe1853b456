use patternkit::Factory;

#[derive(Factory)]
enum Channel {}

fn main() {}
