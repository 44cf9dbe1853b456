use patternkit::Factory;

#[derive(Factory)]
#[factory(rename_all = "title_case")]
enum Channel {
    Email,
}

fn main() {}
