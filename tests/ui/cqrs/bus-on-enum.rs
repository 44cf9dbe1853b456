use patternkit::cqrs::Bus;

#[derive(Bus)]
enum AppBus {
    One,
}

fn main() {}
