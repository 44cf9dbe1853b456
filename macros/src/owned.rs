//! Owned copies of syntax nodes that must outlive the tree they were read from. syn is built
//! without `clone-impls`, which adds to every user's cold build, so a node is printed and read
//! back: the same tokens, with the same spans.

use quote::ToTokens;
use syn::Type;
use syn::parse::Parse;

/// `node` read back from its tokens; `None` only if syn cannot read what it printed.
pub(crate) fn copy<T: Parse + ToTokens>(node: &T) -> Option<T> {
    syn::parse2(node.to_token_stream()).ok()
}

/// A copy of `ty`; a type syn could not read back stays its tokens, printed as they were.
pub(crate) fn ty(ty: &Type) -> Type {
    copy(ty).unwrap_or_else(|| Type::Verbatim(ty.to_token_stream()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_prints_and_keeps_the_shape_of_the_original() {
        for text in [
            "&'a mut Vec<u8>",
            "Result<(), Box<dyn Error + Send>>",
            "<T as Tr>::Out",
            "[u8; 4]",
        ] {
            let original: Type = syn::parse_str(text).unwrap();
            let copy = ty(&original);
            assert_eq!(
                copy.to_token_stream().to_string(),
                original.to_token_stream().to_string()
            );
            assert_eq!(
                std::mem::discriminant(&copy),
                std::mem::discriminant(&original),
                "{text}"
            );
        }
    }

    #[test]
    fn a_copy_keeps_the_spans() {
        let original: Type = syn::parse_str("Option<u8>").unwrap();
        let spans = |t: &Type| {
            t.to_token_stream()
                .into_iter()
                .map(|tree| format!("{:?}", tree.span()))
                .collect::<Vec<_>>()
        };
        assert_eq!(spans(&ty(&original)), spans(&original));
    }
}
