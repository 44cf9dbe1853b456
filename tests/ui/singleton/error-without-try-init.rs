use patternkit::singleton;

#[singleton(error = String)]
#[derive(Default)]
struct Config;

fn main() {}
