//! Name lookup as a generated decision tree: first on the length, then on the byte position
//! that best separates the remaining names, until one name is left and compared whole. The
//! cost depends on the length of the name, not on how many names there are. Names are
//! compared ignoring ASCII case, or exactly for a `case_sensitive` factory.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Ident;

/// A name and the expression it looks up to.
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) target: TokenStream,
}

/// How names are compared, and the paths the comparison needs.
pub(super) struct Compare<'a> {
    pub(super) bytes: &'a Ident,
    pub(super) private: &'a TokenStream,
    /// Ignore ASCII case.
    pub(super) fold: bool,
}

impl Compare<'_> {
    fn key(&self, byte: u8) -> u8 {
        if self.fold {
            byte.to_ascii_lowercase()
        } else {
            byte
        }
    }
}

/// An expression of type `Option<_>`: `Some(target)` of the entry whose name equals the bytes
/// in `bytes`. Entries must be distinct as compared.
pub(super) fn expand_lookup(entries: &[Entry], compare: &Compare<'_>) -> TokenStream {
    let bytes = compare.bytes;
    let mut by_len: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        by_len.entry(entry.name.len()).or_default().push(entry);
    }
    let arms = by_len.iter().map(|(len, entries)| {
        let node = expand_node(entries, compare);
        quote!(#len => #node,)
    });
    quote! {
        match #bytes.len() {
            #(#arms)*
            _ => ::core::option::Option::None,
        }
    }
}

fn expand_node(entries: &[&Entry], compare: &Compare<'_>) -> TokenStream {
    let bytes = compare.bytes;
    // Two names are told apart as cheaply by comparing the first whole as by a switch.
    if entries.len() <= 2 {
        let checks = entries.iter().map(|entry| {
            let matches = expand_compare(entry.name.as_bytes(), compare);
            let target = &entry.target;
            quote!(if #matches { return ::core::option::Option::Some(#target); })
        });
        return quote!({ #(#checks)* ::core::option::Option::None });
    }
    let Some(position) = best_position(entries, compare) else {
        // Only names equal as compared remain, which validation reports; the first wins.
        return expand_node(&entries[..1], compare);
    };
    let mut by_byte: BTreeMap<u8, Vec<&Entry>> = BTreeMap::new();
    for &entry in entries {
        by_byte
            .entry(compare.key(entry.name.as_bytes()[position]))
            .or_default()
            .push(entry);
    }
    // Both cases of a letter in one arm: a jump on the raw byte, no folding first.
    let arms = by_byte.iter().map(|(&byte, entries)| {
        let node = expand_node(entries, compare);
        let lower = Literal::u8_suffixed(byte);
        if compare.fold && byte.is_ascii_lowercase() {
            let upper = Literal::u8_suffixed(byte.to_ascii_uppercase());
            quote!(#lower | #upper => #node,)
        } else {
            quote!(#lower => #node,)
        }
    });
    quote! {
        match #bytes[#position] {
            #(#arms)*
            _ => ::core::option::Option::None,
        }
    }
}

/// Whether `bytes` (known to be as long as `name`) equals `name` (ignoring ASCII case when
/// folding), as a few word comparisons against constants: `(word | mask) == folded`, with an
/// empty mask when comparing exactly.
fn expand_compare(name: &[u8], compare: &Compare<'_>) -> TokenStream {
    let (bytes, private) = (compare.bytes, compare.private);
    let word = |at: usize| -> (u64, u64) {
        let mut folded = [0u8; 8];
        let mut mask = [0u8; 8];
        let end = (at + 8).min(name.len());
        for (i, &byte) in name[at..end].iter().enumerate() {
            folded[i] = compare.key(byte);
            mask[i] = if compare.fold && byte.is_ascii_alphabetic() {
                0x20
            } else {
                0
            };
        }
        (u64::from_le_bytes(folded), u64::from_le_bytes(mask))
    };
    // A step that ignores case is one call: the compiler checks it in less than the `|` and
    // `==` it holds. An exact one stays a comparison, which the optimiser folds best.
    let check = |word: TokenStream, at: Option<usize>, (folded, mask): (u64, u64)| {
        let folded = Literal::u64_suffixed(folded);
        if mask == 0 {
            return quote!(#word == #folded);
        }
        let mask = Literal::u64_suffixed(mask);
        match at {
            None => quote!(#private::short_word_is(#bytes, #mask, #folded)),
            Some(at) => quote!(#private::word_at_is(#bytes, #at, #mask, #folded)),
        }
    };
    if name.len() < 8 {
        return check(quote!(#private::short_word(#bytes)), None, word(0));
    }
    // Whole words, the last one overlapping the one before when the length is not a multiple
    // of eight.
    let mut starts: Vec<usize> = (0..name.len() - 7).step_by(8).collect();
    if name.len() % 8 != 0 {
        starts.push(name.len() - 8);
    }
    let checks = starts
        .iter()
        .map(|&at| check(quote!(#private::word_at(#bytes, #at)), Some(at), word(at)));
    quote!(#(#checks)&&*)
}

/// The byte position (all names here have one length) with the most distinct folded bytes;
/// `None` when no position tells any two names apart.
fn best_position(entries: &[&Entry], compare: &Compare<'_>) -> Option<usize> {
    let len = entries[0].name.len();
    (0..len)
        .map(|position| {
            let mut distinct: Vec<u8> = entries
                .iter()
                .map(|e| compare.key(e.name.as_bytes()[position]))
                .collect();
            distinct.sort_unstable();
            distinct.dedup();
            (distinct.len(), position)
        })
        .filter(|&(distinct, _)| distinct > 1)
        // Most distinct bytes first; among equals, the earliest position.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, position)| position)
}
