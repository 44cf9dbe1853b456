use patternkit::cqrs::{handlers, Event};

#[derive(Event)]
struct Shipped;

struct Audit;

#[handlers]
impl Audit {
    #[event]
    fn shipped(&self, _: &Shipped) -> u32 {
        1
    }
}

fn main() {}
