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
    let impls = methods.iter().map(|method| {
        let name = &method.name;
        let message = &method.message;
        let span = name.span();
        let private = krate.private(span);
        match method.kind {
            Kind::Command | Kind::Query => {
                let handler = match (method.kind, local) {
                    (Kind::Command, false) => quote!(CommandHandler),
                    (Kind::Command, true) => quote!(LocalCommandHandler),
                    (_, false) => quote!(QueryHandler),
                    (_, true) => quote!(LocalQueryHandler),
                };
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
                let handler = if local {
                    quote!(LocalEventHandler)
                } else {
                    quote!(EventHandler)
                };
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
        }
    });
    quote! {
        #item
        #(#impls)*
    }
}
