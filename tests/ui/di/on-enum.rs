use patternkit::di::Inject;

#[derive(Inject)]
enum Service {
    A,
}

fn main() {}
