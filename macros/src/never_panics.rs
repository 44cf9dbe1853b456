//! The macros never panic, whatever they are given: valid declarations with tokens dropped,
//! duplicated, swapped or replaced, cut short, and random option lists, each either expand or
//! return errors.
//!
//! Each pattern keeps its declarations in its own `fuzz_inputs.rs`; this file mutates them.
//! The inputs come from a fixed seed, so a failure is reproducible. Run longer with
//! `PK_FUZZ_CASES=200000 cargo test -p patternkit-macros never_panics`; `PK_FUZZ_SEED=n`
//! explores other inputs.

use std::panic::{self, AssertUnwindSafe};
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::{cqrs, di, factory, saga, singleton, state_machine};

/// xorshift64*: small, deterministic, good enough to pick mutations.
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

/// Tokens that often appear where they are not expected.
const POOL: &[&str] = &[
    "=", ",", "#", "::", "skip", "with", "name", "\"\"", "\"a\"", "1", "dyn", "crate", "(", ")",
    "[x]", "{}", "<T>", "'a", "_", "r#type", "factory", "init", "manual", "+", "=>", "-",
];

fn mutate(tokens: TokenStream, rng: &mut Rng, depth: u32) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        let len = trees.len();
        match rng.below(7) {
            0 if len > 0 => {
                trees.remove(rng.below(len));
            }
            1 if len > 0 => {
                let at = rng.below(len);
                trees.insert(at, trees[at].clone());
            }
            2 if len > 1 => {
                let at = rng.below(len - 1);
                trees.swap(at, at + 1);
            }
            3 if len > 0 => {
                let replacement = TokenStream::from_str(POOL[rng.below(POOL.len())])
                    .map(|s| s.into_iter().collect::<Vec<_>>())
                    .unwrap_or_default();
                let at = rng.below(len);
                trees.splice(at..=at, replacement);
            }
            4 if len > 0 => trees.truncate(rng.below(len)),
            5 if depth < 3 => {
                // Mutate inside one group, keeping its delimiter.
                let groups: Vec<usize> = (0..len)
                    .filter(|&i| matches!(trees[i], TokenTree::Group(_)))
                    .collect();
                if let Some(&at) = groups.get(rng.below(groups.len())) {
                    if let TokenTree::Group(group) = &trees[at] {
                        let inner = mutate(group.stream(), rng, depth + 1);
                        let mut new = Group::new(group.delimiter(), inner);
                        new.set_span(group.span());
                        trees[at] = TokenTree::Group(new);
                    }
                }
            }
            _ => {
                let extra = TokenStream::from_str(POOL[rng.below(POOL.len())]).unwrap_or_default();
                let at = rng.below(len + 1);
                trees.splice(at..at, extra);
            }
        }
    }
    trees.into_iter().collect()
}

fn random_args(rng: &mut Rng) -> TokenStream {
    let mut text = String::new();
    for _ in 0..rng.below(5) {
        text.push_str(POOL[rng.below(POOL.len())]);
        text.push(' ');
    }
    TokenStream::from_str(&text).unwrap_or_default()
}

fn cases() -> usize {
    std::env::var("PK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000)
}

fn seed() -> u64 {
    std::env::var("PK_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5EED_1234_ABCD_0001)
        | 1
}

/// Runs `expand` on `input`, failing the test with the input if it panics.
fn expect_no_panic(what: &str, input: &str, expand: impl FnOnce() -> syn::Result<TokenStream>) {
    let result = panic::catch_unwind(AssertUnwindSafe(expand));
    assert!(result.is_ok(), "{what} panicked on input:\n{input}");
}

#[test]
fn singleton_never_panics() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed());
    for case in 0..cases() {
        let item = TokenStream::from_str(
            singleton::fuzz_inputs::ITEMS[case % singleton::fuzz_inputs::ITEMS.len()],
        )
        .unwrap_or_default();
        let args = TokenStream::from_str(
            singleton::fuzz_inputs::ARGS[rng.below(singleton::fuzz_inputs::ARGS.len())],
        )
        .unwrap_or_default();
        let (args, item) = match rng.below(4) {
            0 => (mutate(args, &mut rng, 0), item),
            1 => (args, mutate(item, &mut rng, 0)),
            2 => (random_args(&mut rng), item),
            _ => (mutate(args, &mut rng, 0), mutate(item, &mut rng, 0)),
        };
        let input = format!("#[singleton({args})] {item}");
        expect_no_panic("#[singleton]", &input, || {
            singleton::try_expand(args.clone(), item.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn factory_never_panics() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed() ^ 0xFAC7);
    for case in 0..cases() {
        let item = TokenStream::from_str(
            factory::fuzz_inputs::ITEMS[case % factory::fuzz_inputs::ITEMS.len()],
        )
        .unwrap_or_default();
        let item = mutate(item, &mut rng, 0);
        let input = item.to_string();
        expect_no_panic("#[derive(Factory)]", &input, || {
            factory::try_expand(item.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn state_machine_never_panics() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed() ^ 0x57A7E);
    for case in 0..cases() {
        let item = TokenStream::from_str(
            state_machine::fuzz_inputs::ITEMS[case % state_machine::fuzz_inputs::ITEMS.len()],
        )
        .unwrap_or_default();
        let item = mutate(item, &mut rng, 0);
        let input = item.to_string();
        expect_no_panic("#[derive(StateMachine)]", &input, || {
            state_machine::try_expand(item.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn cqrs_macros_never_panic() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed() ^ 0xC0_55);
    let kinds = [
        cqrs::message::Kind::Command,
        cqrs::message::Kind::Query,
        cqrs::message::Kind::Event,
    ];
    for case in 0..cases() {
        let pick =
            |items: &[&str]| TokenStream::from_str(items[case % items.len()]).unwrap_or_default();
        let bus = mutate(pick(cqrs::fuzz_inputs::BUS_ITEMS), &mut rng, 0);
        expect_no_panic("#[derive(Bus)]", &bus.to_string(), || {
            cqrs::bus::try_expand(bus.clone())
        });
        let message = mutate(pick(cqrs::fuzz_inputs::MESSAGE_ITEMS), &mut rng, 0);
        let kind = kinds[case % kinds.len()];
        expect_no_panic("a message derive", &message.to_string(), || {
            cqrs::message::try_expand(message.clone(), kind)
        });
        let item = mutate(pick(cqrs::fuzz_inputs::HANDLER_ITEMS), &mut rng, 0);
        let args = random_args(&mut rng);
        expect_no_panic("#[handlers]", &item.to_string(), || {
            cqrs::handlers::try_expand(args.clone(), item.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn di_macros_never_panic() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed() ^ 0xD1);
    for case in 0..cases() {
        let pick =
            |items: &[&str]| TokenStream::from_str(items[case % items.len()]).unwrap_or_default();
        let container = mutate(pick(di::fuzz_inputs::CONTAINER_ITEMS), &mut rng, 0);
        expect_no_panic("#[derive(Container)]", &container.to_string(), || {
            di::container::try_expand(container.clone())
        });
        let inject = mutate(pick(di::fuzz_inputs::INJECT_ITEMS), &mut rng, 0);
        expect_no_panic("#[derive(Inject)]", &inject.to_string(), || {
            di::inject::try_expand(inject.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn saga_never_panics() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed() ^ 0x5A6A);
    for case in 0..cases() {
        let item =
            TokenStream::from_str(saga::fuzz_inputs::ITEMS[case % saga::fuzz_inputs::ITEMS.len()])
                .unwrap_or_default();
        let args = TokenStream::from_str(
            saga::fuzz_inputs::ARGS[rng.below(saga::fuzz_inputs::ARGS.len())],
        )
        .unwrap_or_default();
        let (args, item) = match rng.below(3) {
            0 => (mutate(args, &mut rng, 0), item),
            1 => (args, mutate(item, &mut rng, 0)),
            _ => (random_args(&mut rng), mutate(item, &mut rng, 0)),
        };
        let input = format!("#[saga({args})] {item}");
        expect_no_panic("#[saga]", &input, || {
            saga::try_expand(args.clone(), item.clone())
        });
    }
    panic::set_hook(hook);
}

#[test]
fn bad_declarations_report_errors_not_expansions() {
    let checks = [
        singleton::try_expand(
            TokenStream::new(),
            "struct G<T>(T);".parse().unwrap_or_default(),
        ),
        singleton::try_expand(
            "nope".parse().unwrap_or_default(),
            "struct S;".parse().unwrap_or_default(),
        ),
        factory::try_expand("enum Empty {}".parse().unwrap_or_default()),
        factory::try_expand("struct S;".parse().unwrap_or_default()),
    ];
    for output in checks {
        let text = output.map_or_else(|e| e.to_compile_error().to_string(), |t| t.to_string());
        assert!(text.contains("compile_error"), "{text}");
    }
    // A group with an unusual delimiter is still just input.
    let odd = TokenStream::from(TokenTree::Group(Group::new(
        Delimiter::None,
        TokenStream::new(),
    )));
    assert!(factory::try_expand(odd).is_err());
}
