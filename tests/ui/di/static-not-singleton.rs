use patternkit::di::Inject;

struct Settings;

#[derive(Inject)]
struct Client {
    settings: &'static Settings,
}

fn main() {}
