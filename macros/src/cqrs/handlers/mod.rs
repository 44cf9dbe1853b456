//! `#[handlers]` on an impl block: each method marked `#[command]`, `#[query]` or `#[event]`
//! becomes that message's handler.

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::Errors;
use crate::krate::CratePath;

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    crate::attribute_input::expand_attribute(args, item, try_expand)
}

pub(crate) fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = parse::parse_args(args, &mut errors);
    let mut item = parse::parse_impl(item, &mut errors)?;
    let methods = parse::parse_methods(&mut item, &mut errors);
    let mut tokens = expand::expand_handlers(
        &item,
        &methods,
        &CratePath::new(args.krate.as_ref()),
        args.local,
    );
    tokens.extend(errors.into_compile_errors());
    Ok(tokens)
}
