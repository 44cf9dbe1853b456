//! What the attribute macros share: run one over its item, keeping the item when it fails.

use proc_macro2::TokenStream;

/// Runs `try_expand` over an attribute's arguments and item. It never fails: an error that
/// stops expansion (an item of the wrong kind) is reported beside the item, which is kept,
/// so uses of the item add no errors of their own.
pub(crate) fn expand_attribute(
    args: TokenStream,
    item: TokenStream,
    try_expand: fn(TokenStream, TokenStream) -> syn::Result<TokenStream>,
) -> TokenStream {
    match try_expand(args, item.clone()) {
        Ok(tokens) => tokens,
        Err(error) => {
            let mut tokens = item;
            tokens.extend(error.into_compile_error());
            tokens
        }
    }
}
