//! With `args = T`, a constructor takes `&T`.
use patternkit::Factory;

struct Settings;

fn quota() -> u64 {
    1
}

#[derive(Factory)]
#[factory(args = Settings)]
enum User {
    Guest(#[factory(with = quota)] u64),
}

fn main() {}
