// The Liskov fix of `examples/solid_lsp.rs`: flying is its own trait, so handing a penguin
// to code written for flyers is a compile error rather than a "penguins can't fly" at run time.

trait Bird {
    fn name(&self) -> &'static str;
}

trait Flyer: Bird {
    fn fly(&self) -> String;
}

struct Penguin;

impl Bird for Penguin {
    fn name(&self) -> &'static str {
        "penguin"
    }
}

fn migrate(flyers: &[&dyn Flyer]) -> Vec<String> {
    flyers.iter().map(|f| f.fly()).collect()
}

fn main() {
    let _ = migrate(&[&Penguin]);
}
