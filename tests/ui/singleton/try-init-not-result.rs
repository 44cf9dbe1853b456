use patternkit::singleton;

#[singleton(try_init = Config::new)]
struct Config;

impl Config {
    fn new() -> Self {
        Config
    }
}

fn main() {}
