//! The same three mistakes as in every macro's `option-mistakes` case: a misspelt key (with a
//! suggestion), a repeated `crate` (with a note at the first), and a flag given a value. The
//! options after the misspelt key are still read.
#[patternkit::singleton(manaul, crate = ::patternkit, crate = ::patternkit)]
#[derive(Default)]
struct Config;

#[patternkit::singleton(manual = true)]
struct Registry;

fn main() {}
