use patternkit::Factory;

#[derive(Factory)]
enum Colour {
    Red,
    #[factory(other)]
    Custom,
}

fn main() {}
