use patternkit::singleton;

#[singleton(manual, init = Config::new)]
struct Config;

impl Config {
    fn new() -> Self {
        Config
    }
}

fn main() {}
