//! `kind_only` has no `create`: calling it says so.
use patternkit::Factory;

#[derive(Factory)]
#[factory(kind_only)]
enum Endpoint {
    Listening(std::net::TcpListener),
    Idle,
}

fn main() {
    let _ = Endpoint::create(EndpointKind::Idle);
}
