//! Reaching a singleton that already exists: `#[singleton]` against the ways std and the
//! popular crates keep a lazily created global.

// The peers that std has superseded are measured on purpose.
#![allow(clippy::non_std_lazy_statics)]

use std::sync::{LazyLock, OnceLock};

use patternkit::singleton;

use crate::harness::{Case, Group, repeat};

/// A typical settings value; every global below holds one.
#[derive(Default)]
#[allow(dead_code)]
pub struct Config {
    pub port: u16,
    pub name: String,
}

#[singleton]
#[derive(Default)]
#[allow(dead_code)]
pub struct PkConfig(Config);

static HAND_ONCE_LOCK: OnceLock<Config> = OnceLock::new();

fn hand_written() -> &'static Config {
    HAND_ONCE_LOCK.get_or_init(Config::default)
}

/// The accessors behind a function the optimiser may not inline, as a library exposes them:
/// the fast path must then end in a tail call, with no stack frame of its own.
#[inline(never)]
fn hand_written_outlined() -> &'static Config {
    HAND_ONCE_LOCK.get_or_init(Config::default)
}

#[inline(never)]
fn patternkit_outlined() -> &'static PkConfig {
    PkConfig::instance()
}

static STD_LAZY: LazyLock<Config> = LazyLock::new(Config::default);

static ONCE_CELL_LAZY: once_cell::sync::Lazy<Config> = once_cell::sync::Lazy::new(Config::default);

lazy_static::lazy_static! {
    static ref LAZY_STATIC: Config = Config::default();
}

static PLAIN: Config = Config {
    port: 0,
    name: String::new(),
};

pub fn group() -> Group {
    // Every global is created before measuring: the cost measured is that of each access.
    let _ = (
        PkConfig::instance(),
        hand_written(),
        &*STD_LAZY,
        &*ONCE_CELL_LAZY,
        &*LAZY_STATIC,
    );
    Group {
        title: "Singleton: access after initialisation",
        operation: "One call of the accessor on an initialised global, in a loop; \
                    `plain static` is the loop alone (a `&'static` to a const-initialised static).",
        reference: "singleton_hand_once_lock",
        cases: vec![
            Case {
                id: "singleton_plain_static",
                label: "plain static (loop only)",
                run: |n| repeat(n, || &PLAIN),
            },
            Case {
                id: "singleton_hand_once_lock",
                label: "hand-written `OnceLock::get_or_init`",
                run: |n| repeat(n, hand_written),
            },
            Case {
                id: "singleton_patternkit",
                label: "patternkit `#[singleton]` `instance()`",
                run: |n| repeat(n, PkConfig::instance),
            },
            Case {
                id: "singleton_hand_once_lock_outlined",
                label: "hand-written `OnceLock::get_or_init`, behind `#[inline(never)]`",
                run: |n| repeat(n, hand_written_outlined),
            },
            Case {
                id: "singleton_patternkit_outlined",
                label: "patternkit `instance()`, behind `#[inline(never)]`",
                run: |n| repeat(n, patternkit_outlined),
            },
            Case {
                id: "singleton_std_lazy_lock",
                label: "std `LazyLock`",
                run: |n| repeat(n, || &*STD_LAZY),
            },
            Case {
                id: "singleton_once_cell_lazy",
                label: "once_cell `sync::Lazy`",
                run: |n| repeat(n, || &*ONCE_CELL_LAZY),
            },
            Case {
                id: "singleton_lazy_static",
                label: "lazy_static",
                run: |n| repeat(n, || &*LAZY_STATIC),
            },
        ],
    }
}
