use patternkit::singleton;

#[derive(Default)]
struct Config;

#[singleton]
impl Config {}

fn main() {}
