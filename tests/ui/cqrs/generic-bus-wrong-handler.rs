//! A generic bus whose field does not handle what it lists: reported at the field, as for a
//! bus without parameters.
use patternkit::cqrs::{Bus, Command};

#[derive(Command)]
#[command(output = u64)]
struct Save(u64);

struct Saver<B>(B);

#[derive(Bus)]
struct AppBus<B: Send + Sync + 'static> {
    #[handles(Save)]
    saver: Saver<B>,
}

fn main() {}
