//! Options that make no sense when the enum is its own kind: one error each, at the option.
use patternkit::Factory;

#[derive(Factory)]
#[factory(kind = Self, kind_derive(Hash), args = u8)]
enum Level {
    Debug,
    #[factory(skip)]
    Hidden,
}

fn main() {}
