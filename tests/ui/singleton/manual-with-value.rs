use patternkit::singleton;

#[singleton(manual = true)]
struct Config;

fn main() {}
