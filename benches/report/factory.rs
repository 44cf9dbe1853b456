//! Name → variant lookup, kind → variant creation and iteration over every variant:
//! `#[derive(Factory)]` against strum's `EnumString` (as it is, and with
//! `ascii_case_insensitive`, which matches what patternkit does) and `EnumIter`, and a
//! hand-written `match` or array, for enums of 4, 64 and 500 variants.

#![allow(non_camel_case_types)]

use std::hint::black_box;

use crate::harness::{Case, Group, Matrix, repeat};

macro_rules! contenders {
    ($size:ident, $miss:literal: $($v:ident)*) => {
        pub mod $size {
            #[derive(patternkit::Factory, Clone, Copy, Debug, PartialEq)]
            pub enum Pk { $($v,)* }

            #[derive(patternkit::Factory, Clone, Copy, Debug, PartialEq)]
            #[factory(case_sensitive, rename_all = "verbatim")]
            pub enum PkCs { $($v,)* }

            #[derive(strum::EnumString, strum::EnumIter, Clone, Copy, Debug, PartialEq)]
            pub enum Strum { $($v,)* }

            #[derive(strum::EnumString, Clone, Copy, Debug, PartialEq)]
            #[strum(ascii_case_insensitive)]
            pub enum StrumCi { $($v,)* }

            #[derive(Clone, Copy, Debug, PartialEq)]
            pub enum Hand { $($v,)* }

            pub const NAMES: &[&str] = &[$(stringify!($v),)*];
            pub const HAND_ALL: &[Hand] = &[$(Hand::$v,)*];
            pub const MISS: &str = $miss;

            pub fn hand_from_name(name: &str) -> Option<Hand> {
                match name {
                    $(stringify!($v) => Some(Hand::$v),)*
                    _ => None,
                }
            }

            pub fn hand_create(kind: PkKind) -> Hand {
                match kind {
                    $(PkKind::$v => Hand::$v,)*
                }
            }
        }
    };
}

include!("generated/factory_names.rs");

/// The first, middle and last name of an enum, and a miss as long as the last.
macro_rules! lookup_row {
    ($size:ident, $id:literal, $label:literal, $lookup:expr) => {
        (
            $label,
            vec![
                Case {
                    id: concat!("factory_lookup_", stringify!($size), "_", $id, "_first"),
                    label: $label,
                    run: |n| {
                        let name = $size::NAMES[0];
                        repeat(n, || ($lookup)(black_box(name)))
                    },
                },
                Case {
                    id: concat!("factory_lookup_", stringify!($size), "_", $id, "_middle"),
                    label: $label,
                    run: |n| {
                        let name = $size::NAMES[$size::NAMES.len() / 2];
                        repeat(n, || ($lookup)(black_box(name)))
                    },
                },
                Case {
                    id: concat!("factory_lookup_", stringify!($size), "_", $id, "_last"),
                    label: $label,
                    run: |n| {
                        let name = $size::NAMES[$size::NAMES.len() - 1];
                        repeat(n, || ($lookup)(black_box(name)))
                    },
                },
                Case {
                    id: concat!("factory_lookup_", stringify!($size), "_", $id, "_miss"),
                    label: $label,
                    run: |n| repeat(n, || ($lookup)(black_box($size::MISS))),
                },
            ],
        )
    };
}

macro_rules! lookup_matrix {
    ($size:ident, $title:literal) => {
        Matrix {
            title: $title,
            operation: "One lookup of the first, middle and last name, and of a miss as long as \
                        the last name. The caller keeps the whole result (`Result` with its \
                        error), except in the rows `result dropped` (`.is_ok()`). patternkit's \
                        default and strum with `ascii_case_insensitive` ignore ASCII case; \
                        patternkit `case_sensitive`, strum as it is and the hand-written `match` \
                        do not. Ratios are to strum as it is.",
            columns: vec!["first", "middle", "last", "miss"],
            rows: vec![
                lookup_row!($size, "pk_cs", "patternkit `case_sensitive`", |n: &str| {
                    $size::PkCsKind::from_name(n)
                }),
                lookup_row!($size, "pk_cs_dropped", "patternkit `case_sensitive`, result dropped", |n: &str| {
                    $size::PkCsKind::from_name(n).is_ok()
                }),
                lookup_row!($size, "strum", "strum `EnumString`", |n: &str| {
                    n.parse::<$size::Strum>()
                }),
                lookup_row!($size, "strum_dropped", "strum `EnumString`, result dropped", |n: &str| {
                    n.parse::<$size::Strum>().is_ok()
                }),
                lookup_row!($size, "pk", "patternkit, ignoring ASCII case (the default)", |n: &str| {
                    $size::PkKind::from_name(n)
                }),
                lookup_row!($size, "strum_ci", "strum `ascii_case_insensitive`", |n: &str| {
                    n.parse::<$size::StrumCi>()
                }),
                lookup_row!($size, "hand", "hand-written `match`", $size::hand_from_name),
            ],
            reference_row: 2,
        }
    };
}

macro_rules! create_cases {
    ($id:literal, $label:literal, $create:ident) => {
        (
            $label,
            vec![
                create_case!(size_4, $id, $label, $create),
                create_case!(size_64, $id, $label, $create),
                create_case!(size_500, $id, $label, $create),
            ],
        )
    };
}

macro_rules! create_case {
    ($size:ident, $id:literal, $label:literal, pk) => {
        Case {
            id: concat!("factory_create_", stringify!($size), "_", $id),
            label: $label,
            run: |n| {
                let kind = $size::PkKind::ALL[$size::PkKind::ALL.len() - 1];
                repeat(n, || $size::Pk::create(black_box(kind)))
            },
        }
    };
    ($size:ident, $id:literal, $label:literal, hand) => {
        Case {
            id: concat!("factory_create_", stringify!($size), "_", $id),
            label: $label,
            run: |n| {
                let kind = $size::PkKind::ALL[$size::PkKind::ALL.len() - 1];
                repeat(n, || $size::hand_create(black_box(kind)))
            },
        }
    };
}

macro_rules! iter_cases {
    ($id:literal, $label:literal, |$size:ident| $iter:expr) => {
        (
            $label,
            vec![
                iter_case!(size_4, $id, $label, |$size| $iter),
                iter_case!(size_64, $id, $label, |$size| $iter),
                iter_case!(size_500, $id, $label, |$size| $iter),
            ],
        )
    };
}

/// Every value the iterator gives is handed to `black_box`, as a caller that uses each would.
macro_rules! iter_case {
    ($size:ident, $id:literal, $label:literal, |$s:ident| $iter:expr) => {
        Case {
            id: concat!("factory_iter_", stringify!($size), "_", $id),
            label: $label,
            run: |n| {
                repeat(n, || {
                    use $size as $s;
                    for value in $iter {
                        black_box(value);
                    }
                })
            },
        }
    };
}

fn iter_matrix() -> Matrix {
    use patternkit::{Factory as _, FactoryKind as _};
    use strum::IntoEnumIterator as _;
    Matrix {
        title: "Factory: every variant in order",
        operation: "One pass over every variant of the enum, each value handed to the caller: \
                    patternkit's `Factory::iter()` (a new value of each variant, made by \
                    `create`) and `FactoryKind::iter()` (the kinds), strum's `EnumIter`, and a \
                    hand-written loop over a `const` array of the variants. On these fieldless \
                    enums strum's iterator `match`es its index to the variant with that \
                    discriminant, which the compiler reduces to the index itself; patternkit's, \
                    like the hand-written loop, reads each kind from the kind enum's `ALL`, a \
                    load per variant. Ratios are to strum.",
        columns: vec!["4 variants", "64 variants", "500 variants"],
        rows: vec![
            iter_cases!("pk", "patternkit `Factory::iter()`", |s| s::Pk::iter()),
            iter_cases!("pk_kinds", "patternkit `FactoryKind::iter()`", |s| {
                s::PkKind::iter()
            }),
            iter_cases!("strum", "strum `EnumIter`", |s| s::Strum::iter()),
            iter_cases!("hand", "hand-written, over a `const` array", |s| {
                s::HAND_ALL.iter().copied()
            }),
        ],
        reference_row: 2,
    }
}

pub fn matrices() -> Vec<Matrix> {
    vec![
        lookup_matrix!(size_4, "Factory: name → variant, 4 variants"),
        lookup_matrix!(size_64, "Factory: name → variant, 64 variants"),
        lookup_matrix!(size_500, "Factory: name → variant, 500 variants"),
        Matrix {
            title: "Factory: kind → variant",
            operation: "`create` of the last kind, against a hand-written `match` from the kind \
                        enum (strum generates no creation from a kind).",
            columns: vec!["4 variants", "64 variants", "500 variants"],
            rows: vec![
                create_cases!("pk", "patternkit `create`", pk),
                create_cases!("hand", "hand-written `match`", hand),
            ],
            reference_row: 1,
        },
        iter_matrix(),
    ]
}

/// A name of 1 MiB that matches nothing, made once.
fn megabyte_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| "q".repeat(1 << 20))
}

pub fn groups() -> Vec<Group> {
    vec![Group {
        title: "Factory: an unknown 1 MiB name, 500 variants",
        operation: "One lookup of a name of 1 MiB that matches nothing, as a service sees it \
                    from an attacker, the error kept; `to_string()` is the log line every \
                    service writes (patternkit's with the name echoed and a suggestion, \
                    through `with_given`).",
        reference: "factory_untrusted_strum",
        cases: vec![
            Case {
                id: "factory_untrusted_pk",
                label: "patternkit `from_name`, error kept",
                run: |n| {
                    let name = megabyte_name();
                    repeat(n, || size_500::PkKind::from_name(black_box(name)));
                },
            },
            Case {
                id: "factory_untrusted_pk_message",
                label: "patternkit `from_name` + `to_string()`",
                run: |n| {
                    let name = megabyte_name();
                    repeat(n, || {
                        size_500::PkKind::from_name(black_box(name))
                            .map_err(|e| e.with_given(name).to_string())
                    });
                },
            },
            Case {
                id: "factory_untrusted_strum",
                label: "strum `EnumString`",
                run: |n| {
                    let name = megabyte_name();
                    repeat(n, || black_box(name).parse::<size_500::Strum>());
                },
            },
            Case {
                id: "factory_untrusted_strum_message",
                label: "strum `EnumString` + `to_string()`",
                run: |n| {
                    let name = megabyte_name();
                    repeat(n, || {
                        black_box(name)
                            .parse::<size_500::Strum>()
                            .map_err(|e| e.to_string())
                    });
                },
            },
        ],
    }]
}
