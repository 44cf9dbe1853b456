use patternkit::Factory;

#[derive(Factory)]
#[factory(rename_all = "Title Case")]
enum Channel {
    Email,
}

fn main() {}
