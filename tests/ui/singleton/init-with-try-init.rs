use patternkit::singleton;

#[singleton(init = Config::new, try_init = Config::load)]
struct Config;

impl Config {
    fn new() -> Self {
        Config
    }

    fn load() -> Result<Self, String> {
        Ok(Config)
    }
}

fn main() {}
