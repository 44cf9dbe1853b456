//! A row's guard: a guard function, or an expression of them with `!`, `&&`, `||` and
//! parentheses (`if has_key && !is_night`), each function checked at its own path.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Token, parenthesized};

use super::model::{Machine, path_text};
use super::tokens::{context_arg, context_param, respanned};

pub(super) enum GuardExpr {
    Call(Path),
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
    input.parse::<Path>().map(GuardExpr::Call).map_err(|e| {
        syn::Error::new(
            e.span(),
            "a guard is a function, or functions joined by `&&`, `||`, `!` and parentheses",
        )
    })
}

impl GuardExpr {
    /// The guard as written, without the spaces token printing adds: `a && !(b || c)`.
    pub(super) fn text(&self) -> String {
        match self {
            Self::Call(path) => path_text(path),
            Self::Not(inner) => format!("!{}", inner.text()),
            Self::And(a, b) => format!("{} && {}", a.text(), b.text()),
            Self::Or(a, b) => format!("{} || {}", a.text(), b.text()),
            Self::Group(inner) => format!("({})", inner.text()),
        }
    }

    /// The expression that evaluates the guard inside `fire` or `next`, `context` being how
    /// those reach the context.
    pub(super) fn to_tokens(&self, machine: &Machine<'_>, context: &TokenStream) -> TokenStream {
        match self {
            Self::Call(path) => {
                let event = machine.event;
                let span = path.span();
                let param = context_param(machine, true);
                let arg = context_arg(machine, context.clone());
                let signature = respanned(quote!(fn(&Self, &#event #(, #param)*) -> bool), span);
                quote_spanned! {span=>
                    {
                        let __guard: #signature = #path;
                        __guard(&*self, event #(, #arg)*)
                    }
                }
            }
            Self::Not(inner) => {
                let inner = inner.to_tokens(machine, context);
                quote!(!#inner)
            }
            Self::And(a, b) => {
                let (a, b) = (a.to_tokens(machine, context), b.to_tokens(machine, context));
                quote!(#a && #b)
            }
            Self::Or(a, b) => {
                let (a, b) = (a.to_tokens(machine, context), b.to_tokens(machine, context));
                quote!(#a || #b)
            }
            Self::Group(inner) => {
                let inner = inner.to_tokens(machine, context);
                quote!((#inner))
            }
        }
    }
}
