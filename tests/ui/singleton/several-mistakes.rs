use patternkit::singleton;

// Every mistake is reported in one build.
#[singleton(eager, manual, try_init = Config::load)]
struct Config<T>(T);

fn main() {}
