//! `#[saga]` on an impl block: parse the steps, validate their kinds, compensations and
//! parameters, expand the `Saga` impl.

mod expand;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
mod parse;
mod validate;

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::errors::Errors;
use crate::krate::CratePath;

/// The whole attribute: never fails, as errors become `compile_error!` beside the item.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    crate::attribute_input::expand_attribute(args, item, try_expand)
}

/// `Err` only when the item is not an impl block; every other mistake is reported beside the
/// block and a fallback impl.
pub(crate) fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let mut item = parse::parse_impl(item, &mut errors)?;
    let options = parse::parse_args(args, &mut errors);
    let methods = parse::parse_methods(&mut item, &mut errors);
    let model = validate::validate(&item, &options, &methods, &mut errors);
    let krate = CratePath::new(options.krate.as_ref());
    let mut tokens = item.to_token_stream();
    if errors.is_empty() {
        tokens.extend(expand::expand_saga(&item, &model, &krate));
    } else {
        tokens.extend(expand::expand_fallback(&item, &model, &krate));
        tokens.extend(errors.into_compile_errors());
    }
    Ok(tokens)
}
