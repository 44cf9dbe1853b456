use patternkit::di::Inject;

#[derive(Inject)]
#[inject(constructor = build, no_constructor)]
struct Service;

fn main() {}
