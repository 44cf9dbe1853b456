use patternkit::singleton;

#[singleton]
trait Service {}

fn main() {}
