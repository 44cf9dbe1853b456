//! Valid and nearly valid declarations for the DI derives, which `never_panics` mutates.

pub(crate) const INJECT_ITEMS: &[&str] = &[
    "#[inject(crate = pk)] struct Service { logger: Arc<dyn Logger>, repo: Repo, \
        settings: &'static Settings, #[inject(default)] cache: Vec<u8>, \
        #[inject(with = make)] id: u64 }",
    "struct Tuple(Arc<A>, B, #[inject(default)] C);",
    "struct Unit;",
    "enum E { A }",
    "struct G<T>(T);",
    "struct P<T: Send> where T: Sync { #[inject(param)] url: String, all: Vec<Arc<dyn Check>>, \
        #[inject(param, default)] both: u8, #[inject(param = 1)] bad: u8, t: PhantomData<T> }",
];

pub(crate) const CONTAINER_ITEMS: &[&str] = &[
    "#[container(crate = pk)] struct App { #[provide(dyn Logger, singleton)] logger: Once<L>, \
        #[provide(Repo, transient)] repo: Each<Repo>, #[provide(Repo)] again: Each<Repo>, \
        #[provide(X, scoped)] x: Vec<X>, plain: u8 }",
    "struct T(#[provide(A)] Each<A>);",
    "enum E { A }",
];
