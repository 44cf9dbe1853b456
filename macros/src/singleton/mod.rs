//! `#[singleton]`: parse the options and the item, validate them together, expand.

mod expand;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole attribute: never fails, as errors become `compile_error!` beside the item.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    crate::attribute_input::expand_attribute(args, item, try_expand)
}

/// `Err` only when the item itself does not parse; every other mistake is reported beside
/// the item and a fallback implementation, so it does not cascade.
pub(crate) fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let input = match syn::parse2::<syn::DeriveInput>(item.clone()) {
        Ok(input) => Some(input),
        Err(error) => {
            validate::not_a_type(&item, error, &mut errors)?;
            None
        }
    };
    let options = parse::parse_options(args, &mut errors);
    let model = input
        .as_ref()
        .and_then(|input| validate::validate(input, &options, &mut errors));
    Ok(match model {
        Some(model) if errors.is_empty() => expand::expand_singleton(&item, &model),
        model => {
            let mut tokens = item;
            if let Some(model) = model {
                tokens.extend(expand::expand_fallback(&model));
            }
            tokens.extend(errors.into_compile_errors());
            tokens
        }
    })
}
