use std::sync::Arc;

use patternkit::di::Inject;

#[derive(Inject)]
struct Service<T: Send + Sync + 'static> {
    inner: Arc<T>,
}

fn main() {}
