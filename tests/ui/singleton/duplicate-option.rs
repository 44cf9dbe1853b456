use patternkit::singleton;

#[singleton(init = Config::new, init = Config::new)]
struct Config;

impl Config {
    fn new() -> Self {
        Config
    }
}

fn main() {}
