use patternkit::di::Inject;

fn retries() -> u64 {
    3
}

#[derive(Inject)]
struct Client {
    #[inject(with = retries)]
    retries: u32,
}

fn main() {}
