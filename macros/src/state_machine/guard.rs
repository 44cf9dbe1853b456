//! A row's guard: a guard function, or an expression of them with `!`, `&&`, `||` and
//! parentheses (`if has_key && !is_night`), each function checked at its own path.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Token, parenthesized};

use super::model::{Machine, path_text};
use super::tokens::{call_user, context_arg, context_param, parse_await};

pub(super) enum GuardExpr {
    /// A guard function, whether it is awaited (`guard.await`), and its `?` when it returns
    /// `Result<bool, E>`.
    Call(Path, bool, Option<Token![?]>),
    Not(Box<GuardExpr>),
    And(Box<GuardExpr>, Box<GuardExpr>),
    Or(Box<GuardExpr>, Box<GuardExpr>),
    Group(Box<GuardExpr>),
}

impl Parse for GuardExpr {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut left = parse_and(input)?;
        while input.peek(Token![||]) {
            input.parse::<Token![||]>()?;
            left = Self::Or(Box::new(left), Box::new(parse_and(input)?));
        }
        Ok(left)
    }
}

fn parse_and(input: ParseStream<'_>) -> syn::Result<GuardExpr> {
    let mut left = parse_unary(input)?;
    while input.peek(Token![&&]) {
        input.parse::<Token![&&]>()?;
        left = GuardExpr::And(Box::new(left), Box::new(parse_unary(input)?));
    }
    Ok(left)
}

fn parse_unary(input: ParseStream<'_>) -> syn::Result<GuardExpr> {
    if input.peek(Token![!]) {
        input.parse::<Token![!]>()?;
        return Ok(GuardExpr::Not(Box::new(parse_unary(input)?)));
    }
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let inner: GuardExpr = content.parse()?;
        if !content.is_empty() {
            return Err(content.error("expected `&&`, `||` or `)` in the guard"));
        }
        return Ok(GuardExpr::Group(Box::new(inner)));
    }
    let path = input.parse::<Path>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "a guard is a function, or functions joined by `&&`, `||`, `!` and parentheses",
        )
    })?;
    let awaited = parse_await(input)?;
    Ok(GuardExpr::Call(path, awaited, input.parse()?))
}

impl GuardExpr {
    /// The guard as written, without the spaces token printing adds: `a && !(b || c)`.
    pub(super) fn text(&self) -> String {
        match self {
            Self::Call(path, awaited, fallible) => {
                let awaited = if *awaited { ".await" } else { "" };
                let question = if fallible.is_some() { "?" } else { "" };
                format!("{}{awaited}{question}", path_text(path))
            }
            Self::Not(inner) => format!("!{}", inner.text()),
            Self::And(a, b) => format!("{} && {}", a.text(), b.text()),
            Self::Or(a, b) => format!("{} || {}", a.text(), b.text()),
            Self::Group(inner) => format!("({})", inner.text()),
        }
    }

    /// The expression that evaluates the guard inside `fire` or `next`, `context` being how
    /// those reach the context.
    /// `firing` is whether it runs inside `fire` (where a guard's error returns from it) or
    /// inside `next` and `can` (where it counts as a no).
    pub(super) fn to_tokens(
        &self,
        machine: &Machine<'_>,
        context: &TokenStream,
        firing: bool,
    ) -> TokenStream {
        match self {
            Self::Call(path, awaited, fallible) => {
                let event = machine.event;
                let span = path.span();
                let param = context_param(machine, true);
                let arg = context_arg(machine, context.clone());
                let output = if fallible.is_some() {
                    let error = machine.error_type();
                    quote!(::core::result::Result<::core::primitive::bool, #error>)
                } else {
                    quote!(::core::primitive::bool)
                };
                let call = call_user(
                    path,
                    quote!(fn(&Self, &#event #(, #param)*) -> #output),
                    &quote!(&*self, event #(, #arg)*),
                    *awaited,
                );
                match (fallible, firing) {
                    (None, _) => call,
                    // `next` and `can` only ask: a guard that fails says no.
                    (Some(_), false) => {
                        quote!(::core::matches!(#call, ::core::result::Result::Ok(true)))
                    }
                    (Some(_), true) => {
                        let private = machine.krate.private(span);
                        quote! {
                            match #call {
                                ::core::result::Result::Ok(__holds) => __holds,
                                ::core::result::Result::Err(__error) => {
                                    return ::core::result::Result::Err(#private::FireError::Guard(__error));
                                }
                            }
                        }
                    }
                }
            }
            Self::Not(inner) => {
                let inner = inner.to_tokens(machine, context, firing);
                quote!(!#inner)
            }
            Self::And(a, b) => {
                let (a, b) = (
                    a.to_tokens(machine, context, firing),
                    b.to_tokens(machine, context, firing),
                );
                quote!(#a && #b)
            }
            Self::Or(a, b) => {
                let (a, b) = (
                    a.to_tokens(machine, context, firing),
                    b.to_tokens(machine, context, firing),
                );
                quote!(#a || #b)
            }
            Self::Group(inner) => {
                let inner = inner.to_tokens(machine, context, firing);
                quote!((#inner))
            }
        }
    }
}

impl GuardExpr {
    /// The `?` of every fallible guard in the expression.
    pub(super) fn fallible(&self) -> Vec<&Token![?]> {
        match self {
            Self::Call(_, _, fallible) => fallible.iter().collect(),
            Self::Not(inner) | Self::Group(inner) => inner.fallible(),
            Self::And(a, b) | Self::Or(a, b) => {
                let mut all = a.fallible();
                all.extend(b.fallible());
                all
            }
        }
    }
}

impl GuardExpr {
    /// Whether any guard in the expression is awaited.
    pub(super) fn awaits(&self) -> bool {
        match self {
            Self::Call(_, awaited, _) => *awaited,
            Self::Not(inner) | Self::Group(inner) => inner.awaits(),
            Self::And(a, b) | Self::Or(a, b) => a.awaits() || b.awaits(),
        }
    }
}
