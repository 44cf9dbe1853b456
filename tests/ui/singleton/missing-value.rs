use patternkit::singleton;

#[singleton(init)]
struct Config;

fn main() {}
