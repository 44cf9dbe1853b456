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
pub(super) fn expand_lookup(entries: &[Entry], bytes: &Ident) -> TokenStream {
    let mut by_len: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        by_len.entry(entry.name.len()).or_default().push(entry);
    }
    let arms = by_len.iter().map(|(len, entries)| {
        let node = expand_node(entries, bytes);
        quote!(#len => #node,)
    });
    quote! {
        match #bytes.len() {
            #(#arms)*
            _ => ::core::option::Option::None,
        }
    }
}

fn expand_node(entries: &[&Entry], bytes: &Ident) -> TokenStream {
    if let [entry] = entries {
        let name = Literal::byte_string(entry.name.as_bytes());
        let target = &entry.target;
        return quote! {
            if #bytes.eq_ignore_ascii_case(#name) {
                ::core::option::Option::Some(#target)
            } else {
                ::core::option::Option::None
            }
        };
    }
    let Some(position) = best_position(entries) else {
        // Only names equal after folding remain, which validation reports; the first wins.
        return expand_node(&entries[..1], bytes);
    };
    let mut by_byte: BTreeMap<u8, Vec<&Entry>> = BTreeMap::new();
    for &entry in entries {
        by_byte
            .entry(entry.name.as_bytes()[position].to_ascii_lowercase())
            .or_default()
            .push(entry);
    }
    let arms = by_byte.iter().map(|(byte, entries)| {
        let byte = Literal::u8_suffixed(*byte);
        let node = expand_node(entries, bytes);
        quote!(#byte => #node,)
    });
    quote! {
        match #bytes[#position].to_ascii_lowercase() {
            #(#arms)*
            _ => ::core::option::Option::None,
        }
    }
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
