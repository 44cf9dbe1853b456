use patternkit::singleton;

struct Oops;

#[singleton(try_init = Config::load)]
struct Config;

impl Config {
    fn load() -> Result<Self, Oops> {
        Err(Oops)
    }
}

fn main() {}
