use std::sync::Arc;

use patternkit::di::Inject;

#[derive(Inject)]
#[inject(scope = "request")]
struct Service {
    #[inject(lazy)]
    repo: Arc<String>,
}

fn main() {}
