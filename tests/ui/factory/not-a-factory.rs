use patternkit::Factory;

enum Plain {
    A,
}

fn kinds<F: Factory>() -> usize {
    F::kinds().len()
}

fn main() {
    let _ = kinds::<Plain>();
}
