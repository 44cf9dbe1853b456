//! Name lookup as a generated decision tree: first on the length, then on the byte position
//! that best separates the remaining names, until one name is left and compared whole. The
//! cost depends on the length of the name, not on how many names there are.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Ident;

/// A name and the expression it looks up to.
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) target: TokenStream,
}

/// An expression of type `Option<_>`: `Some(target)` of the entry whose name equals the bytes
/// in `bytes`, ignoring ASCII case. Entries must be distinct after folding.
pub(super) fn expand_lookup(
    entries: &[Entry],
    bytes: &Ident,
    private: &TokenStream,
) -> TokenStream {
    let mut by_len: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        by_len.entry(entry.name.len()).or_default().push(entry);
    }
    let arms = by_len.iter().map(|(len, entries)| {
        let node = expand_node(entries, bytes, private);
        quote!(#len => #node,)
    });
    quote! {
        match #bytes.len() {
            #(#arms)*
            _ => ::core::option::Option::None,
        }
    }
}

fn expand_node(entries: &[&Entry], bytes: &Ident, private: &TokenStream) -> TokenStream {
    // Two names are told apart as cheaply by comparing the first whole as by a switch.
    if entries.len() <= 2 {
        let checks = entries.iter().map(|entry| {
            let matches = expand_compare(entry.name.as_bytes(), bytes, private);
            let target = &entry.target;
            quote!(if #matches { return ::core::option::Option::Some(#target); })
        });
        return quote!({ #(#checks)* ::core::option::Option::None });
    }
    let Some(position) = best_position(entries) else {
        // Only names equal after folding remain, which validation reports; the first wins.
        return expand_node(&entries[..1], bytes, private);
    };
    let mut by_byte: BTreeMap<u8, Vec<&Entry>> = BTreeMap::new();
    for &entry in entries {
        by_byte
            .entry(entry.name.as_bytes()[position].to_ascii_lowercase())
            .or_default()
            .push(entry);
    }
    // Both cases of a letter in one arm: a jump on the raw byte, no folding first.
    let arms = by_byte.iter().map(|(&byte, entries)| {
        let node = expand_node(entries, bytes, private);
        let lower = Literal::u8_suffixed(byte);
        if byte.is_ascii_lowercase() {
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

/// Whether `bytes` (known to be as long as `name`) equals `name` ignoring ASCII case, as a
/// few word comparisons against constants: `(word | mask) == folded`.
fn expand_compare(name: &[u8], bytes: &Ident, private: &TokenStream) -> TokenStream {
    let word = |at: usize| -> (u64, u64) {
        let mut folded = [0u8; 8];
        let mut mask = [0u8; 8];
        let end = (at + 8).min(name.len());
        for (i, &byte) in name[at..end].iter().enumerate() {
            folded[i] = byte.to_ascii_lowercase();
            mask[i] = if byte.is_ascii_alphabetic() { 0x20 } else { 0 };
        }
        (u64::from_le_bytes(folded), u64::from_le_bytes(mask))
    };
    if name.len() < 8 {
        let (folded, mask) = word(0);
        let (folded, mask) = (Literal::u64_suffixed(folded), Literal::u64_suffixed(mask));
        return quote!((#private::short_word(#bytes) | #mask) == #folded);
    }
    // Whole words, the last one overlapping the one before when the length is not a multiple
    // of eight.
    let mut starts: Vec<usize> = (0..name.len() - 7).step_by(8).collect();
    if name.len() % 8 != 0 {
        starts.push(name.len() - 8);
    }
    let checks = starts.iter().map(|&at| {
        let (folded, mask) = word(at);
        let (folded, mask) = (Literal::u64_suffixed(folded), Literal::u64_suffixed(mask));
        quote!((#private::word_at(#bytes, #at) | #mask) == #folded)
    });
    quote!(#(#checks)&&*)
}

/// The byte position (all names here have one length) with the most distinct folded bytes;
/// `None` when no position tells any two names apart.
fn best_position(entries: &[&Entry]) -> Option<usize> {
    let len = entries[0].name.len();
    (0..len)
        .map(|position| {
            let mut distinct: Vec<u8> = entries
                .iter()
                .map(|e| e.name.as_bytes()[position].to_ascii_lowercase())
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
