use patternkit::di::{Container, Each, Inject};

#[derive(Inject)]
struct Repo;

#[derive(Container, Default)]
struct AppContainer {
    #[provide(Repo, scoped)]
    repo: Each<Repo>,
    #[provide(Repo)]
    plain: Repo,
    #[provide(Repo, singleton)]
    wrong: Each<Repo>,
}

fn main() {}
