//! A type as text, to compare two written types and to name one in a message.

use quote::ToTokens;

/// The type as written, spaces only where words meet: `dyn Logger`, `Vec<u8>`.
pub(crate) fn type_key(ty: &impl ToTokens) -> String {
    let text = ty.to_token_stream().to_string();
    let chars: Vec<char> = text.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' '
            && !(word(i.checked_sub(1).and_then(|p| chars.get(p))) && word(chars.get(i + 1)))
        {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::type_key;

    #[test]
    fn keeps_spaces_only_between_words() {
        let ty: syn::Type = syn::parse_quote!(dyn Logger + Send);
        assert_eq!(type_key(&ty), "dyn Logger+Send");
        let ty: syn::Type = syn::parse_quote!(Vec<u8>);
        assert_eq!(type_key(&ty), "Vec<u8>");
    }
}
