//! One handler trait impl per marked method, delegating to it.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ItemImpl;
use syn::spanned::Spanned;

use super::super::message::Kind;
use super::parse::HandlerMethod;
use crate::krate::CratePath;

pub(super) fn expand_handlers(
    item: &ItemImpl,
    methods: &[HandlerMethod],
    krate: &CratePath,
) -> TokenStream {
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let impls = methods.iter().map(|method| {
        let name = &method.name;
        let message = &method.message;
        let span = name.span();
        let private = krate.private(span);
        match method.kind {
            Kind::Command | Kind::Query => {
                let (handler, message_trait) = match method.kind {
                    Kind::Command => (quote!(CommandHandler), quote!(Command)),
                    _ => (quote!(QueryHandler), quote!(Query)),
                };
                let call = if method.is_async {
                    quote_spanned!(span=> Self::#name(self, message))
                } else {
                    quote_spanned!(span=> #private::cqrs::lazy(move || Self::#name(self, message)))
                };
                quote_spanned! {message.span()=>
                    #[automatically_derived]
                    impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #where_clause {
                        fn handle(
                            &self,
                            message: #message,
                        ) -> impl ::core::future::Future<
                            Output = ::core::result::Result<
                                <#message as #private::cqrs::#message_trait>::Output,
                                <#message as #private::cqrs::#message_trait>::Error,
                            >,
                        > + ::core::marker::Send {
                            #call
                        }
                    }
                }
            }
            Kind::Event => {
                let call = if method.is_async {
                    quote_spanned!(span=> Self::#name(self, event))
                } else {
                    quote_spanned!(span=> #private::cqrs::lazy(move || Self::#name(self, event)))
                };
                quote_spanned! {message.span()=>
                    #[automatically_derived]
                    impl #impl_generics #private::cqrs::EventHandler<#message> for #self_ty #where_clause {
                        fn handle(
                            &self,
                            event: &#message,
                        ) -> impl ::core::future::Future<Output = ()> + ::core::marker::Send {
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
