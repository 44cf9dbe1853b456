use patternkit::singleton;

#[singleton]
static LIMIT: u32 = 10;

fn main() {
    let _ = LIMIT;
}
