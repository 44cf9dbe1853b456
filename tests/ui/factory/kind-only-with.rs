//! `kind_only` creates nothing, so a constructor or `args` has no use.
use patternkit::Factory;

fn port() -> u16 {
    80
}

#[derive(Factory)]
#[factory(kind_only, args = String)]
enum Endpoint {
    Http(#[factory(with = port)] u16),
    Idle,
}

fn main() {
    // `create` is not generated; the kind is.
    let _ = Endpoint::Idle.kind();
}
