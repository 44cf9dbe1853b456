use patternkit::Singleton;

struct Plain;

fn first<T: Singleton>() -> &'static T {
    T::instance()
}

fn main() {
    let _ = first::<Plain>();
}
