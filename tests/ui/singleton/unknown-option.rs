use patternkit::singleton;

#[singleton(lazy, init = Config::new)]
struct Config;

impl Config {
    fn new() -> Self {
        Config
    }
}

fn main() {
    let _ = Config::instance();
}
