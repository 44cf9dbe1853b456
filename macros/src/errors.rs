//! Collects every mistake in a declaration so that one build reports them all.

use core::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
    count: usize,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.count += 1;
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// A repeated option: the error at the repetition, a note at the first occurrence.
    pub(crate) fn duplicate(&mut self, first: impl ToTokens, again: impl ToTokens, what: &str) {
        self.spanned(again, format!("{what} is given more than once; keep one"));
        self.spanned(first, format!("{what} is first given here"));
    }

    /// How many mistakes were reported so far, to tell whether a step added any.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.combined.is_none()
    }

    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.combined
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}
