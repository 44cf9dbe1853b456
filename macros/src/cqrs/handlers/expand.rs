//! One handler trait impl per marked method, delegating to it.

use crate::item_impl::ItemImpl;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::super::message::Kind;
use super::parse::HandlerMethod;
use crate::krate::CratePath;

pub(super) fn expand_handlers(
    item: &ItemImpl,
    methods: &[HandlerMethod],
    krate: &CratePath,
    local: bool,
) -> TokenStream {
    // A local handler's future need not be `Send`.
    let send = (!local).then(|| quote!(+ ::core::marker::Send));
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let messages: Vec<String> = methods.iter().map(|m| m.message.to_string()).collect();
    let impls = methods.iter().enumerate().filter_map(|(index, method)| {
        if method.fallback {
            // After a mistake in a signature the handler is still implemented, once per
            // message and not beside another method's.
            let taken = methods.iter().enumerate().any(|(other, m)| {
                other != index && messages[other] == messages[index] && (!m.fallback || other < index)
            });
            return (!taken).then(|| expand_fallback(method, item, krate, local));
        }
        let name = &method.name;
        let message = &method.message;
        let span = name.span();
        let private = krate.private(span);
        Some(match method.kind {
            Kind::Command | Kind::Query => {
                let handler = handler_trait(method.kind, local);
                let out = method.output;
                // The return type is checked by `returns`, whose bound names the fix; the
                // future's own output is then right by construction, so a wrong return type
                // is one error.
                let call = if method.is_async {
                    let checked = quote_spanned! {out=>
                        #private::cqrs::returns::<#message, _>(Self::#name(self, message).await)
                    };
                    quote_spanned!(span=> async move { #checked })
                } else {
                    let checked = quote_spanned! {out=>
                        #private::cqrs::returns::<#message, _>(Self::#name(self, message))
                    };
                    quote_spanned!(span=> #private::cqrs::lazy(move || #checked))
                };
                quote_spanned! {message.span()=>
                    #[automatically_derived]
                    impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #where_clause {
                        #[allow(clippy::manual_async_fn)]
                        fn handle(
                            &self,
                            message: #message,
                        ) -> impl ::core::future::Future<
                            Output = ::core::result::Result<
                                <#message as #private::cqrs::Request>::Output,
                                <#message as #private::cqrs::Request>::Error,
                            >,
                        > #send {
                            #call
                        }
                    }
                }
            }
            Kind::Event => {
                let out = method.output;
                let call = if method.is_async {
                    let checked = quote_spanned! {out=>
                        #private::cqrs::handled(Self::#name(self, event).await)
                    };
                    quote_spanned!(span=> async move { #checked })
                } else {
                    let checked = quote_spanned! {out=>
                        #private::cqrs::handled(Self::#name(self, event))
                    };
                    quote_spanned!(span=> #private::cqrs::lazy(move || #checked))
                };
                let handler = handler_trait(method.kind, local);
                quote_spanned! {message.span()=>
                    #[automatically_derived]
                    impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #where_clause {
                        #[allow(clippy::manual_async_fn)]
                        fn handle(
                            &self,
                            event: &#message,
                        ) -> impl ::core::future::Future<Output: #private::cqrs::Handled>
                               #send {
                            #call
                        }
                    }
                }
            }
        })
    });
    quote! {
        #item
        #(#impls)*
    }
}

/// The handler trait's name for `kind`, `Local` for a `#[handlers(local)]` block.
fn handler_trait(kind: Kind, local: bool) -> TokenStream {
    match (kind, local) {
        (Kind::Command, false) => quote!(CommandHandler),
        (Kind::Command, true) => quote!(LocalCommandHandler),
        (Kind::Query, false) => quote!(QueryHandler),
        (Kind::Query, true) => quote!(LocalQueryHandler),
        (Kind::Event, false) => quote!(EventHandler),
        (Kind::Event, true) => quote!(LocalEventHandler),
    }
}

/// The handler of a method whose signature is wrong (an error says so): its future never
/// completes, and it never runs, the crate not compiling.
fn expand_fallback(
    method: &HandlerMethod,
    item: &ItemImpl,
    krate: &CratePath,
    local: bool,
) -> TokenStream {
    let send = (!local).then(|| quote!(+ ::core::marker::Send));
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let message = &method.message;
    let private = krate.private(method.name.span());
    let handler = handler_trait(method.kind, local);
    let (parameter, output) = match method.kind {
        Kind::Command | Kind::Query => (
            quote!(_: #message),
            quote!(::core::result::Result<
                <#message as #private::cqrs::Request>::Output,
                <#message as #private::cqrs::Request>::Error,
            >),
        ),
        Kind::Event => (quote!(_: &#message), quote!(())),
    };
    quote_spanned! {message.span()=>
        #[automatically_derived]
        impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #where_clause {
            fn handle(&self, #parameter) -> impl ::core::future::Future<Output = #output> #send {
                ::core::future::pending()
            }
        }
    }
}
