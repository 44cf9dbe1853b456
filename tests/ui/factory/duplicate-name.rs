use patternkit::Factory;

#[derive(Factory)]
enum Channel {
    Email,
    #[factory(name = "EMAIL")]
    Mail,
}

fn main() {}
