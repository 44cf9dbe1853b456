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
    let mut item = match parse::parse_impl(item.clone(), &mut errors) {
        Ok(item) => item,
        Err(error) => return on_a_type(args, item, error),
    };
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

/// `#[saga]` on a struct, enum or union instead of its impl block: the one error, the item,
/// and the fallback `Saga` impl for the type, so that a runner of it adds no errors of its
/// own. Any other item is only the error.
fn on_a_type(args: TokenStream, item: TokenStream, error: syn::Error) -> syn::Result<TokenStream> {
    let Ok(input) = syn::parse2::<syn::DeriveInput>(item.clone()) else {
        return Err(error);
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut scratch = Errors::default();
    let block = parse::parse_impl(
        quote::quote!(impl #impl_generics #ident #ty_generics #where_clause {}),
        &mut scratch,
    )?;
    let options = parse::parse_args(args, &mut scratch);
    let model = validate::validate(&block, &options, &[], &mut scratch);
    let mut tokens = item;
    tokens.extend(expand::expand_fallback(
        &block,
        &model,
        &CratePath::new(options.krate.as_ref()),
    ));
    tokens.extend(error.into_compile_error());
    Ok(tokens)
}
