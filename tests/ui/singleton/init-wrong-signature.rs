use patternkit::singleton;

#[singleton(init = make_config)]
struct Config {
    port: u16,
}

fn make_config(port: u16) -> Config {
    Config { port }
}

fn main() {}
