use patternkit::Factory;

// An enum without variants as its own kind: the one error is the enum, and what the rest of
// the code names still exists.
#[derive(Factory, Debug)]
#[factory(kind = Self)]
enum Level {}

fn main() {
    let _ = Level::iter().count();
    let _ = "warn".parse::<Level>();
    let _ = Level::NAMES;
    let _ = |level: &Level| level.name();
}
