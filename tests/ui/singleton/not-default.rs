use patternkit::singleton;

#[singleton]
struct Config {
    port: u16,
}

fn main() {}
