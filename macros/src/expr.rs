//! An expression as the user wrote it: the tokens up to the next `,` that is not inside
//! brackets, a turbofish or a closure's parameters. The macros pass expressions through to
//! the code they generate and never evaluate them, so they read them as tokens rather than
//! through syn's whole expression grammar (its `full` feature, which would double the time
//! syn takes to build). The compiler checks the expression where it lands.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::Type;
use syn::parse::{Parse, ParseStream};

/// An expression, kept as its tokens.
#[derive(Clone)]
pub(crate) struct Expr {
    tokens: TokenStream,
}

impl Expr {
    /// The expression's tokens.
    pub(crate) fn tokens(&self) -> &TokenStream {
        &self.tokens
    }

    /// `E` of a closure written `|..| -> Result<T, E> { .. }` (or `move |..| ..`), where the
    /// error type is spelled out.
    pub(crate) fn closure_error_type(&self) -> Option<Type> {
        let tokens: Vec<TokenTree> = self.tokens.clone().into_iter().collect();
        let mut at = tokens
            .iter()
            .take_while(|t| matches!(t, TokenTree::Ident(i) if i == "move" || i == "async"))
            .count();
        at += closure_params(&tokens[at..])?;
        // `->`, then the return type up to the body.
        match (tokens.get(at), tokens.get(at + 1)) {
            (Some(TokenTree::Punct(dash)), Some(TokenTree::Punct(arrow)))
                if dash.as_char() == '-' && arrow.as_char() == '>' => {}
            _ => return None,
        }
        let body = tokens[at + 2..]
            .iter()
            .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))?;
        let output: TokenStream = tokens[at + 2..at + 2 + body].iter().cloned().collect();
        let Type::Path(mut path) = syn::parse2::<Type>(output).ok()? else {
            return None;
        };
        let last = path.path.segments.pop()?;
        if last.ident != "Result" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = last.arguments else {
            return None;
        };
        match arguments.args.into_iter().nth(1)? {
            syn::GenericArgument::Type(error) => Some(error),
            _ => None,
        }
    }
}

/// The number of tokens of a closure's parameter list at the start of `tokens` (`||` or
/// `|a, b: Vec<u8>|`), or `None` when `tokens` does not start with one.
fn closure_params(tokens: &[TokenTree]) -> Option<usize> {
    let TokenTree::Punct(open) = tokens.first()? else {
        return None;
    };
    if open.as_char() != '|' {
        return None;
    }
    let mut angles = 0usize;
    for (index, token) in tokens.iter().enumerate().skip(1) {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => angles += 1,
                '>' if angles > 0 && !after_dash(tokens, index) => angles -= 1,
                '|' if angles == 0 => return Some(index + 1),
                _ => {}
            }
        }
    }
    None
}

/// Whether the `>` at `index` ends a `->`.
fn after_dash(tokens: &[TokenTree], index: usize) -> bool {
    matches!(
        index.checked_sub(1).and_then(|i| tokens.get(i)),
        Some(TokenTree::Punct(p)) if p.as_char() == '-' && p.spacing() == Spacing::Joint
    )
}

impl Parse for Expr {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() || input.peek(syn::Token![,]) {
            return Err(input.error("expected an expression"));
        }
        let tokens = input.step(|cursor| Ok(split_at_comma(*cursor)))?;
        Ok(Expr { tokens })
    }
}

/// The tokens from `cursor` up to the first `,` that separates expressions, and the cursor
/// there.
fn split_at_comma(start: syn::buffer::Cursor<'_>) -> (TokenStream, syn::buffer::Cursor<'_>) {
    let mut trees: Vec<TokenTree> = Vec::new();
    let mut cursor = start;
    // `<` opening generic arguments (a turbofish, a qualified path), or in a closure's
    // parameters or return type.
    let mut angles = 0usize;
    // Inside `|..|` at the start of a closure, and then in its `-> Type`.
    let mut params = false;
    let mut returns = false;
    while let Some((tree, next)) = cursor.token_tree() {
        if let TokenTree::Punct(p) = &tree {
            let c = p.as_char();
            let at_start = trees
                .iter()
                .all(|t| matches!(t, TokenTree::Ident(i) if i == "move" || i == "async"));
            match c {
                ',' if angles == 0 && !params => break,
                '|' if params && angles == 0 => params = false,
                '|' if at_start => params = true,
                '<' if angles > 0 || params || returns || opens_generics(&trees) => angles += 1,
                '>' if angles > 0 && !ends_arrow(&trees) => angles -= 1,
                '>' if !params
                    && trees.len() >= 2
                    && ends_arrow(&trees)
                    && closure_head(&trees) =>
                {
                    returns = true;
                }
                _ => {}
            }
        }
        if matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace) && angles == 0
        {
            returns = false;
        }
        trees.push(tree);
        cursor = next;
    }
    (trees.into_iter().collect(), cursor)
}

/// Whether a `<` after the tokens so far opens generic arguments rather than compares: after
/// `::` (a turbofish), or where no operand precedes it — at the start, after an operator or
/// a closure's `|` — which makes it a qualified path (`<Map<K, V> as Default>::default()`).
/// After a name, a literal, a group or `?` it compares.
fn opens_generics(trees: &[TokenTree]) -> bool {
    match trees.last() {
        None => true,
        Some(TokenTree::Punct(p)) => p.as_char() != '?',
        Some(_) => false,
    }
}

/// Whether the tokens so far end with a joint `-`, so that a `>` makes `->`.
fn ends_arrow(trees: &[TokenTree]) -> bool {
    matches!(
        trees.last(),
        Some(TokenTree::Punct(p)) if p.as_char() == '-' && p.spacing() == Spacing::Joint
    )
}

/// Whether the tokens so far are a closure's head: `|..|` or `move |..|`, so that `->` starts
/// its return type.
fn closure_head(trees: &[TokenTree]) -> bool {
    let start = trees
        .iter()
        .take_while(|t| matches!(t, TokenTree::Ident(i) if i == "move" || i == "async"))
        .count();
    // The head ends just before the trailing `-`.
    closure_params(&trees[start..]).is_some_and(|len| start + len == trees.len() - 1)
}

impl ToTokens for Expr {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;
    use syn::parse::Parser;
    use syn::punctuated::Punctuated;

    use super::Expr;

    fn split(tokens: proc_macro2::TokenStream) -> Vec<String> {
        Punctuated::<Expr, syn::Token![,]>::parse_terminated
            .parse2(tokens)
            .unwrap()
            .iter()
            .map(|e| e.tokens().to_string())
            .collect()
    }

    #[test]
    fn expressions_end_at_commas_outside_brackets() {
        assert_eq!(
            split(quote!(
                a + 1,
                f(x, y),
                [1, 2],
                Foo { a: 1, b: 2 },
                a < b,
                c > d
            )),
            [
                "a + 1",
                "f (x , y)",
                "[1 , 2]",
                "Foo { a : 1 , b : 2 }",
                "a < b",
                "c > d"
            ]
        );
    }

    #[test]
    fn turbofish_and_closures_keep_their_commas() {
        assert_eq!(
            split(quote!(
                HashMap::<K, Vec<(u8, u8)>>::new(),
                <HashMap<K, V> as Default>::default(),
                |_: &S| <Map<K, V> as Default>::default(),
                1 + <T<A, B> as Tr>::N,
                |a, b: Map<K, V>| a + b,
                move || -> Result<Config, Error> { load() },
                || x >> 1,
                x - 1
            )),
            [
                "HashMap :: < K , Vec < (u8 , u8) >> :: new ()",
                "< HashMap < K , V > as Default > :: default ()",
                "| _ : & S | < Map < K , V > as Default > :: default ()",
                "1 + < T < A , B > as Tr > :: N",
                "| a , b : Map < K , V > | a + b",
                "move || -> Result < Config , Error > { load () }",
                "|| x >> 1",
                "x - 1"
            ]
        );
    }

    #[test]
    fn a_closure_names_its_error_type() {
        let error = |tokens| {
            syn::parse2::<Expr>(tokens)
                .unwrap()
                .closure_error_type()
                .map(|ty| quote!(#ty).to_string())
        };
        assert_eq!(
            error(quote!(|| -> Result<Config, LoadError> { load() })),
            Some("LoadError".into())
        );
        assert_eq!(
            error(quote!(move |a: u8| -> std::result::Result<(), io::Error> {
                f(a)
            })),
            Some("io :: Error".into())
        );
        assert_eq!(error(quote!(|| load())), None);
        assert_eq!(error(quote!(load)), None);
        assert_eq!(error(quote!(|| -> Option<u8> { None })), None);
    }

    #[test]
    fn nothing_is_not_an_expression() {
        assert!(syn::parse2::<Expr>(quote!()).is_err());
        assert!(syn::parse2::<Expr>(quote!(, a)).is_err());
    }
}
