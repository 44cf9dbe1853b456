use patternkit::di::{Container, Each, Inject, Once};

#[derive(Inject)]
struct Repo;

#[derive(Container, Default)]
struct AppContainer {
    #[provide(Repo, transient)]
    repo: Each<Repo>,
    #[provide(Repo, singleton)]
    shared: Once<Repo>,
}

fn main() {}
