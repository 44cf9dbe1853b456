//! The name an identifier stands for. To Rust `r#Loop` and `Loop` are one identifier, so they
//! are one name in the tables, messages, diagrams and logs the macros write, and one name when
//! a macro matches what the user wrote in two places.

use proc_macro2::{Ident, TokenStream, TokenTree};

/// `ident` without its `r#`, if it has one.
pub(crate) fn name_of(ident: &Ident) -> String {
    // One trip to the compiler for the text; `unraw` would make a second identifier first.
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(name) => name.to_owned(),
        None => text,
    }
}

/// Whether `a` and `b` are the same identifier to Rust (`r#Loop` is `Loop`).
pub(crate) fn same_name(a: &Ident, b: &Ident) -> bool {
    let (a, b) = (a.to_string(), b.to_string());
    a.strip_prefix("r#").unwrap_or(&a) == b.strip_prefix("r#").unwrap_or(&b)
}

/// Whether `tokens` hold one of `idents` anywhere, groups included: a type written with a
/// generic parameter, say.
pub(crate) fn mentions(tokens: TokenStream, idents: &[&Ident]) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => idents.iter().any(|wanted| **wanted == ident),
        TokenTree::Group(group) => mentions(group.stream(), idents),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    #[test]
    fn a_raw_identifier_names_what_it_would_without_its_prefix() {
        let raw = Ident::new_raw("Loop", Span::call_site());
        let plain = Ident::new("Loop", Span::call_site());
        assert_eq!(name_of(&raw), "Loop");
        assert_eq!(name_of(&plain), "Loop");
        assert!(same_name(&raw, &plain));
        assert!(!same_name(&raw, &Ident::new("Break", Span::call_site())));
    }
}
