use patternkit::di::Inject;

#[derive(Inject)]
struct Database {
    #[inject(param, default)]
    url: String,
    #[inject(param = "url")]
    name: String,
}

fn main() {}
