//! An impl block as `#[handlers]` and `#[saga]` read it: its header (generics, the type,
//! a trait if any) and its methods' signatures, each method kept as the user wrote it so the
//! block is re-emitted unchanged but for the attributes the macros remove or add. Bodies and
//! other items are tokens: the macros never look inside them, so this needs only syn's type
//! grammar, not its `full` feature.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::buffer::Cursor;
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Generics, Ident, Path, ReturnType, Token, Type, Visibility, token};

pub(crate) struct ItemImpl {
    pub(crate) attrs: Vec<Attribute>,
    /// `unsafe`, `default` before `impl`.
    qualifiers: TokenStream,
    impl_token: Token![impl],
    /// The parameters and the where clause.
    pub(crate) generics: Generics,
    /// The trait of a trait impl, and `for`.
    pub(crate) trait_: Option<(Path, Token![for])>,
    /// `!` of a negative impl.
    negative: Option<Token![!]>,
    pub(crate) self_ty: Box<Type>,
    brace: token::Brace,
    inner_attrs: Vec<Attribute>,
    pub(crate) items: Vec<ImplItem>,
}

pub(crate) enum ImplItem {
    Fn(ImplItemFn),
    /// A constant, type, macro call or anything else, as written.
    Other(TokenStream),
}

/// A method: its attributes, which the macros edit, its signature, which they read, and the
/// rest as written.
pub(crate) struct ImplItemFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) sig: Signature,
    /// Everything after the attributes: visibility, signature, body.
    rest: TokenStream,
}

pub(crate) struct Signature {
    pub(crate) asyncness: Option<Token![async]>,
    pub(crate) fn_token: Token![fn],
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    pub(crate) inputs: Punctuated<FnArg, Token![,]>,
    pub(crate) output: ReturnType,
}

pub(crate) enum FnArg {
    Receiver(Receiver),
    Typed(PatType),
}

/// `self`, `&self`, `&'a mut self`, `self: Box<Self>` …
pub(crate) struct Receiver {
    /// Exactly `&self` (with or without a lifetime): shared, by reference.
    pub(crate) shared: bool,
    tokens: TokenStream,
}

/// `pattern: Type`.
pub(crate) struct PatType {
    pub(crate) pat: Pat,
    pub(crate) ty: Box<Type>,
    tokens: TokenStream,
}

pub(crate) enum Pat {
    /// `name` or `mut name`.
    Ident(Ident),
    /// Any other pattern (`_`, `ref x`, `(a, b)`, `Point { x, y }`), as written.
    Other(TokenStream),
}

impl Parse for ItemImpl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let mut qualifiers = TokenStream::new();
        while input.peek(Token![unsafe]) || input.peek(Token![default]) {
            qualifiers.append(input.parse::<TokenTree>()?);
        }
        let impl_token = input.parse()?;
        let mut generics: Generics = if input.peek(Token![<]) && !input.peek2(Token![>]) {
            input.parse()?
        } else {
            Generics::default()
        };
        let negative = input.parse()?;
        let first: Type = input.parse()?;
        let (trait_, self_ty) = if input.peek(Token![for]) {
            let Type::Path(syn::TypePath {
                qself: None, path, ..
            }) = first
            else {
                return Err(syn::Error::new_spanned(first, "expected a trait path"));
            };
            (Some((path, input.parse()?)), input.parse()?)
        } else {
            (None, first)
        };
        if input.peek(Token![where]) {
            generics.where_clause = Some(input.parse()?);
        }
        let content;
        let brace = syn::braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(content.parse()?);
        }
        Ok(ItemImpl {
            attrs,
            qualifiers,
            impl_token,
            generics,
            trait_,
            negative,
            self_ty: Box::new(self_ty),
            brace,
            inner_attrs,
            items,
        })
    }
}

impl Parse for ImplItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        if is_fn(&input.fork()) {
            let start = input.cursor();
            let sig = parse_signature(input)?;
            if input.peek(token::Brace) {
                input.parse::<proc_macro2::Group>()?;
            } else {
                input.parse::<Token![;]>()?;
            }
            let rest = tokens_between(start, input.cursor());
            return Ok(ImplItem::Fn(ImplItemFn { attrs, sig, rest }));
        }
        // Up to and including a `;` or a `{ .. }` body (and a `;` after it).
        let mut tokens = TokenStream::new();
        for attr in &attrs {
            attr.to_tokens(&mut tokens);
        }
        while !input.is_empty() {
            let tree: TokenTree = input.parse()?;
            let end = match &tree {
                TokenTree::Punct(p) => p.as_char() == ';',
                TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
                _ => false,
            };
            let brace = matches!(&tree, TokenTree::Group(_));
            tokens.append(tree);
            if end {
                if brace && input.peek(Token![;]) {
                    tokens.append(input.parse::<TokenTree>()?);
                }
                break;
            }
        }
        Ok(ImplItem::Other(tokens))
    }
}

/// Whether a method starts here (after its attributes): a visibility, qualifiers, `fn`.
fn is_fn(input: ParseStream<'_>) -> bool {
    if input.parse::<Visibility>().is_err() {
        return false;
    }
    loop {
        if input.peek(Token![fn]) {
            return true;
        }
        if input.peek(Token![extern]) {
            let _ = input.parse::<Token![extern]>();
            let _ = input.parse::<Option<syn::LitStr>>();
        } else if input.peek(Token![default])
            || input.peek(Token![const])
            || input.peek(Token![async])
            || input.peek(Token![unsafe])
        {
            let _ = input.parse::<TokenTree>();
        } else {
            return false;
        }
    }
}

fn parse_signature(input: ParseStream<'_>) -> syn::Result<Signature> {
    input.parse::<Visibility>()?;
    let mut asyncness = None;
    while !input.peek(Token![fn]) {
        if input.peek(Token![async]) {
            asyncness = Some(input.parse()?);
        } else if input.peek(Token![extern]) {
            input.parse::<Token![extern]>()?;
            input.parse::<Option<syn::LitStr>>()?;
        } else {
            input.parse::<TokenTree>()?;
        }
    }
    let fn_token = input.parse()?;
    let ident = input.parse()?;
    let mut generics: Generics = input.parse()?;
    let content;
    syn::parenthesized!(content in input);
    let inputs = Punctuated::parse_terminated(&content)?;
    let output = input.parse()?;
    if input.peek(Token![where]) {
        generics.where_clause = Some(input.parse()?);
    }
    Ok(Signature {
        asyncness,
        fn_token,
        ident,
        generics,
        inputs,
        output,
    })
}

impl Parse for FnArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let start = input.cursor();
        input.call(Attribute::parse_outer)?;
        if let Some(shared) = receiver(input) {
            // `self: Type` names its type: not the plain `&self`.
            let explicit = at_colon(input);
            if explicit {
                input.parse::<Token![:]>()?;
                input.parse::<Type>()?;
            }
            return Ok(FnArg::Receiver(Receiver {
                shared: shared && !explicit,
                tokens: tokens_between(start, input.cursor()),
            }));
        }
        let pat_start = input.cursor();
        let mut pat = TokenStream::new();
        while !input.is_empty() && !at_colon(input) {
            pat.append(input.parse::<TokenTree>()?);
        }
        let trees: Vec<TokenTree> = pat.clone().into_iter().collect();
        let pat = match trees.as_slice() {
            [TokenTree::Ident(name)] if name != "_" => Pat::Ident(name.clone()),
            [TokenTree::Ident(word), TokenTree::Ident(name)] if word == "mut" && name != "_" => {
                Pat::Ident(name.clone())
            }
            [] => return Err(syn::Error::new(pat_start.span(), "expected a parameter")),
            _ => Pat::Other(pat),
        };
        input.parse::<Token![:]>()?;
        let ty = input.parse()?;
        Ok(FnArg::Typed(PatType {
            pat,
            ty: Box::new(ty),
            tokens: tokens_between(start, input.cursor()),
        }))
    }
}

/// Whether a `:` (not `::`) comes next.
fn at_colon(input: ParseStream<'_>) -> bool {
    input.peek(Token![:]) && !input.peek(Token![::])
}

/// Reads `self`, `mut self`, `&self`, `&'a self` or `&mut self` if it comes next: `Some`
/// with whether it is a shared reference, `None` (nothing read) when it does not.
fn receiver(input: ParseStream<'_>) -> Option<bool> {
    let fork = input.fork();
    let reference = fork.parse::<Option<Token![&]>>().ok()?.is_some();
    if reference {
        fork.parse::<Option<syn::Lifetime>>().ok()?;
    }
    let mutable = fork.parse::<Option<Token![mut]>>().ok()?.is_some();
    fork.parse::<Token![self]>().ok()?;
    if fork.peek(Token![::]) {
        return None;
    }
    input.advance_to(&fork);
    Some(reference && !mutable)
}

/// The tokens from `start` up to `end`, which follows it in the same buffer.
fn tokens_between(start: Cursor<'_>, end: Cursor<'_>) -> TokenStream {
    let mut tokens = TokenStream::new();
    let mut cursor = start;
    while cursor != end {
        let Some((tree, next)) = cursor.token_tree() else {
            break;
        };
        tokens.append(tree);
        cursor = next;
    }
    tokens
}

impl ToTokens for ItemImpl {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.qualifiers.to_tokens(tokens);
        self.impl_token.to_tokens(tokens);
        self.generics.to_tokens(tokens);
        self.negative.to_tokens(tokens);
        if let Some((path, for_token)) = &self.trait_ {
            path.to_tokens(tokens);
            for_token.to_tokens(tokens);
        }
        self.self_ty.to_tokens(tokens);
        self.generics.where_clause.to_tokens(tokens);
        self.brace.surround(tokens, |tokens| {
            tokens.append_all(&self.inner_attrs);
            for item in &self.items {
                match item {
                    ImplItem::Fn(method) => {
                        tokens.append_all(&method.attrs);
                        method.rest.to_tokens(tokens);
                    }
                    ImplItem::Other(other) => other.to_tokens(tokens),
                }
            }
        });
    }
}

impl ToTokens for FnArg {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            FnArg::Receiver(receiver) => receiver.to_tokens(tokens),
            FnArg::Typed(typed) => typed.tokens.to_tokens(tokens),
        }
    }
}

impl ToTokens for Receiver {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

impl ToTokens for Pat {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Pat::Ident(ident) => ident.to_tokens(tokens),
            Pat::Other(other) => other.to_tokens(tokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::{FnArg, ImplItem, ItemImpl, Pat};

    fn block() -> proc_macro2::TokenStream {
        quote! {
            #[doc = "Handlers."]
            impl<T: Clone> Service<T> where T: Send {
                #![allow(dead_code)]
                const LIMIT: usize = 3;
                type Out = u8;
                helper!(one, two);
                #[command]
                pub async fn create(&self, command: Create<T, u8>) -> Result<u64, Error> { Ok(1) }
                fn by_value(mut self, mut n: u8, (a, b): (u8, u8), _: u8) {}
                pub(crate) unsafe extern "C" fn raw<'a>(&'a mut self, x: &'a [u8]) where T: 'a {}
                fn boxed(self: Box<Self>) {}
            }
        }
    }

    #[test]
    fn reads_the_header_and_each_signature() {
        let item: ItemImpl = syn::parse2(block()).unwrap();
        assert!(item.trait_.is_none());
        assert_eq!(item.self_ty.to_token_stream().to_string(), "Service < T >");
        assert!(item.generics.where_clause.is_some());
        let methods: Vec<_> = item
            .items
            .iter()
            .filter_map(|item| match item {
                ImplItem::Fn(method) => Some(method),
                ImplItem::Other(_) => None,
            })
            .collect();
        assert_eq!(item.items.len(), 7);
        let names: Vec<_> = methods.iter().map(|m| m.sig.ident.to_string()).collect();
        assert_eq!(names, ["create", "by_value", "raw", "boxed"]);
        assert!(methods[0].sig.asyncness.is_some() && methods[1].sig.asyncness.is_none());
        let shared: Vec<_> = methods
            .iter()
            .map(|m| matches!(m.sig.inputs.first(), Some(FnArg::Receiver(r)) if r.shared))
            .collect();
        assert_eq!(shared, [true, false, false, false]);
        let pats: Vec<_> = methods[1]
            .sig
            .inputs
            .iter()
            .skip(1)
            .map(|arg| match arg {
                FnArg::Typed(typed) => matches!(typed.pat, Pat::Ident(_)),
                FnArg::Receiver(_) => panic!("one receiver"),
            })
            .collect();
        assert_eq!(pats, [true, false, false]);
        assert!(!methods[2].sig.generics.params.is_empty());
    }

    #[test]
    fn re_emits_the_block_as_written() {
        let item: ItemImpl = syn::parse2(block()).unwrap();
        assert_eq!(item.to_token_stream().to_string(), block().to_string());
    }

    #[test]
    fn reads_a_trait_impl_and_refuses_what_is_not_an_impl() {
        let item: ItemImpl =
            syn::parse2(quote!(impl Display for Thing { fn fmt(&self) {} })).unwrap();
        let (path, _) = item.trait_.unwrap();
        assert_eq!(path.to_token_stream().to_string(), "Display");
        assert!(
            syn::parse2::<ItemImpl>(quote!(
                struct Thing;
            ))
            .is_err()
        );
        assert!(syn::parse2::<ItemImpl>(quote!(impl Thing { fn broken -> {} })).is_err());
    }
}
