//! Token helpers the expansion steps share.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Machine;

/// `tokens` with every span set to `span`, so that a signature built from the user's types
/// is reported at the one path the user wrote.
pub(super) fn respanned(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respanned(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

pub(super) fn context_type(machine: &Machine<'_>) -> TokenStream {
    match machine.context {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    }
}

/// The context as the last parameter of a guard, action or hook (`&mut Context`, or
/// `&Context` for a guard), or none when the table names no context: a list of at most one,
/// for `#(, #param)*`.
pub(super) fn context_param(machine: &Machine<'_>, shared: bool) -> Vec<TokenStream> {
    machine
        .context
        .map(|context| {
            if shared {
                quote!(&#context)
            } else {
                quote!(&mut #context)
            }
        })
        .into_iter()
        .collect()
}

/// The context passed to a guard, action or hook, or nothing when the table names none.
pub(super) fn context_arg(machine: &Machine<'_>, arg: TokenStream) -> Vec<TokenStream> {
    machine.context.map(|_| arg).into_iter().collect()
}

/// A call of the user's function at `path` with `args`: checked against the fn-pointer type
/// `signature`, so that a wrong signature is reported at the path with the expected type;
/// or, written `path.await`, called directly and awaited (an `async fn` has no fn-pointer
/// type to check against).
pub(super) fn call_user(
    path: &syn::Path,
    signature: TokenStream,
    args: &TokenStream,
    awaited: bool,
) -> TokenStream {
    let span = syn::spanned::Spanned::span(path);
    if awaited {
        return quote::quote_spanned!(span=> (#path)(#args).await);
    }
    let signature = respanned(signature, span);
    quote::quote_spanned! {span=>
        {
            let __user_fn: #signature = #path;
            __user_fn(#args)
        }
    }
}

/// `.await` after a path, if there.
pub(super) fn parse_await(input: syn::parse::ParseStream<'_>) -> syn::Result<bool> {
    if input.peek(syn::Token![.]) && input.peek2(syn::Token![await]) {
        input.parse::<syn::Token![.]>()?;
        input.parse::<syn::Token![await]>()?;
        return Ok(true);
    }
    Ok(false)
}
