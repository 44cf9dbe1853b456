//! Names from outside — a request, a file — reach `from_name` and the `UnknownKind` every
//! service logs. Whatever they are, the lookup and its error never panic, cost time linear in
//! the input at worst, allocate a bounded amount, and give a bounded message.
//!
//! Random inputs from a fixed seed: arbitrary bytes, very long names, and names one edit away
//! from real ones, against factories of 4, 64 and 500 kinds. `PK_FUZZ_CASES` runs more,
//! `PK_FUZZ_SEED` others.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use patternkit::{FactoryNames, UnknownKind, UnknownName};

/// Counts the bytes this thread allocates, so a case measures only itself.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size()));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + new_size));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocated() -> usize {
    ALLOCATED.with(Cell::get)
}

macro_rules! contenders {
    ($size:ident, $miss:literal: $($v:ident)*) => {
        #[allow(dead_code, non_camel_case_types)]
        mod $size {
            #[derive(patternkit::Factory, Debug)]
            pub enum Pk { $($v,)* }

            pub const NAMES: &[&str] = &[$(stringify!($v),)*];
        }
    };
}

include!("../benches/report/generated/factory_names.rs");

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

fn cases() -> usize {
    std::env::var("PK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

fn seed() -> u64 {
    std::env::var("PK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_0018)
        | 1
}

/// A name one edit from `name`: a byte replaced, inserted, removed, or two swapped.
fn near(name: &str, rng: &mut Rng) -> String {
    let mut bytes = name.as_bytes().to_vec();
    let at = rng.below(bytes.len());
    let letter = b'a' + u8::try_from(rng.below(26)).unwrap_or(0);
    match rng.below(4) {
        0 => bytes[at] = letter,
        1 => bytes.insert(at, letter),
        2 if bytes.len() > 1 => {
            bytes.remove(at);
        }
        _ if at + 1 < bytes.len() => bytes.swap(at, at + 1),
        _ => bytes.push(letter),
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn input(names: &[&str], rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => near(names[rng.below(names.len())], rng),
        1 => names[rng.below(names.len())].to_ascii_uppercase(),
        2 => {
            // Up to a megabyte: a random chunk, repeated.
            let chunk: Vec<u8> = (0..64).map(|_| (rng.next() >> 56) as u8).collect();
            let bytes = chunk.repeat(rng.below(1 << 14));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        3 => format!(
            "{}{}",
            names[rng.below(names.len())],
            "\u{1b}é\0".repeat(rng.below(200))
        ),
        _ => {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len).map(|_| (rng.next() >> 56) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

fn check<K: FactoryNames>(
    names: &'static [&'static str],
    lookup: fn(&str) -> Result<K, UnknownKind<K>>,
    rng: &mut Rng,
) {
    // The message lists some accepted names; the rest of it is bounded too.
    let listed: usize = names
        .iter()
        .take(UnknownName::LISTED)
        .map(|n| n.len() + 4)
        .sum::<usize>()
        + 40;
    // At most ECHOED bytes of the name, each escaped to at most `\u{10ffff}`.
    let message_bound = listed + UnknownName::ECHOED * 10 + 200;
    for _ in 0..cases() {
        let name = input(names, rng);
        let before = allocated();
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| {
            lookup(&name).err().map(|error| {
                assert!(error.to_string().len() <= listed + 40);
                let error = error.with_given(&name);
                let message = error.to_string();
                (error, message)
            })
        });
        let spent = started.elapsed();
        let allocated = allocated() - before;
        let Ok(outcome) = outcome else {
            panic!(
                "from_name panicked on {} bytes: {:?}",
                name.len(),
                &name[..name.len().min(80)]
            );
        };
        assert!(
            spent < Duration::from_millis(250),
            "{spent:?} for {} bytes against {} names",
            name.len(),
            names.len()
        );
        let Some((error, message)) = outcome else {
            assert!(names.iter().any(|n| n.eq_ignore_ascii_case(&name)));
            continue;
        };
        assert!(
            !names.iter().any(|n| n.eq_ignore_ascii_case(&name)),
            "{name}"
        );
        assert!(
            message.len() <= message_bound,
            "{} bytes: {message}",
            message.len()
        );
        assert!(error.given().len() <= UnknownName::KEPT);
        assert_eq!(error.given_len(), name.len());
        assert!(name.starts_with(error.given()));
        assert!(
            allocated <= 4 * message_bound + UnknownName::KEPT,
            "{allocated} bytes allocated for a {}-byte name",
            name.len()
        );
    }
}

#[test]
fn any_name_against_4_kinds() {
    check(size_4::NAMES, size_4::PkKind::from_name, &mut Rng(seed()));
}

#[test]
fn any_name_against_64_kinds() {
    check(
        size_64::NAMES,
        size_64::PkKind::from_name,
        &mut Rng(seed() ^ 0x40),
    );
}

#[test]
fn any_name_against_500_kinds() {
    check(
        size_500::NAMES,
        size_500::PkKind::from_name,
        &mut Rng(seed() ^ 0x1F4),
    );
}

/// The case that once took seconds: a 1 MB name against 500 kinds, formatted.
#[test]
fn a_megabyte_name_against_500_kinds_is_cheap() {
    let name = "q".repeat(1 << 20);
    let started = Instant::now();
    let error = size_500::PkKind::from_name(&name)
        .unwrap_err()
        .with_given(&name);
    let message = error.to_string();
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("… (1048576 bytes)"));
    assert_eq!(error.suggestion(), None);
}

/// A near miss still gets its suggestion.
#[test]
fn a_near_miss_is_suggested() {
    let name = size_500::NAMES[250];
    let typo = format!("{name}x");
    let error = size_500::PkKind::from_name(&typo).unwrap_err();
    assert!(error.suggestion_for(&typo).is_some(), "{error}");
    assert!(error.with_given(&typo).suggestion().is_some());
}
