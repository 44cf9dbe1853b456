use patternkit::singleton;

#[singleton]
fn config() -> u32 {
    7
}

fn main() {}
