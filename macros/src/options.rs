//! Reading `key = value` options, shared by every macro's parser.

use syn::Token;
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;

/// The value after `key =`, or an error at the key showing how to write it.
pub(crate) fn value<T: Parse>(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
) -> syn::Result<T> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{key}` needs a value: write `{key} = {example}`")));
    }
    meta.value()?.parse()
}
