use patternkit::di::{Container, Each, Inject};

#[derive(Inject)]
struct Database {
    #[inject(param)]
    url: String,
}

#[derive(Container, Default)]
struct App {
    #[provide(Database, transient)]
    database: Each<Database>,
}

fn main() {
    let _ = App::default().resolve::<Database>();
}
