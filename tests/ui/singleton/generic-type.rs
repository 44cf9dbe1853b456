use patternkit::singleton;

#[singleton]
#[derive(Default)]
struct Cache<T> {
    items: Vec<T>,
}

fn main() {}
