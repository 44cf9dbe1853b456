use patternkit::di::Inject;

struct Connection {
    fd: i32,
}

#[derive(Inject)]
struct Repo {
    connection: Connection,
}

fn main() {}
