use patternkit::Factory;

struct Connection {
    fd: i32,
}

#[derive(Factory)]
enum Channel {
    Email,
    Socket { conn: Connection, port: u16 },
}

fn main() {}
