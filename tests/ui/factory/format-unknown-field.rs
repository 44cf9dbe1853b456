//! A `format` that names a field the variant does not have.
use patternkit::Factory;

#[derive(Factory)]
enum Shape {
    #[factory(format = "radius {radius}, colour {colour}")]
    Circle { radius: f64 },
}

fn main() {}
