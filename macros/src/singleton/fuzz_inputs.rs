//! Valid and nearly valid declarations for `#[singleton]`, which `never_panics` mutates.

pub(crate) const ITEMS: &[&str] = &[
    "#[derive(Default)] pub struct Config { port: u16, name: String }",
    "pub(crate) enum Mode { Dev, Prod }",
    "struct Unit;",
    "struct Tuple(u8, String);",
    "struct Generic<T: Clone, 'a> where T: Copy { t: &'a T }",
    "fn not_a_type() -> u8 { 1 }",
    "impl Config { fn new() -> Self { Config } }",
];

pub(crate) const ARGS: &[&str] = &[
    "",
    "init = Config::new",
    "try_init = Config::load, error = std::io::Error",
    "manual",
    "crate = ::pk, init = || Config { port: 1 }",
    "init = a, try_init = b, manual, manual, error = E, crate = c, unknown",
];
