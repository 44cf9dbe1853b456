//! Where generated code finds patternkit: `::patternkit` unless `crate = path` renames it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

pub(crate) struct CratePath(Option<TokenStream>);

impl CratePath {
    pub(crate) fn new(path: Option<&syn::Path>) -> Self {
        Self(path.map(quote::ToTokens::to_token_stream))
    }

    /// `patternkit::__private`, spanned at `span` when the path is the default one, so that
    /// a type error in generated code is reported at the user's tokens.
    pub(crate) fn private(&self, span: Span) -> TokenStream {
        match &self.0 {
            Some(path) => quote!(#path::__private),
            None => quote_spanned!(span=> ::patternkit::__private),
        }
    }
}
