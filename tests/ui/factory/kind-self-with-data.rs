//! `kind = Self` makes the enum its own kind, so a variant with data is a mistake.
use patternkit::Factory;

#[derive(Factory)]
#[factory(kind = Self)]
enum Level {
    Debug,
    Custom(u8),
}

fn main() {
    // The enum is still usable as its own kind: no errors cascade from the one above.
    let _ = Level::from_name("debug");
}
