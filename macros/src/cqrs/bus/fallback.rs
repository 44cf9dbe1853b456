//! What a `#[derive(Bus)]` on something other than a struct with named fields still gets:
//! `send`, `ask`, `publish` and `publish_concurrently` for any message, whose futures never
//! complete. The crate does not compile (an error names the item), so they never run; they
//! keep the code sending through the bus from adding errors of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::BusInput;
use crate::krate::CratePath;

pub(super) fn expand_fallback(bus: &BusInput<'_>) -> TokenStream {
    let ident = &bus.input.ident;
    let vis = &bus.input.vis;
    let private = CratePath::new(bus.krate.as_ref()).private(ident.span());
    let (impl_generics, ty_generics, where_clause) = bus.input.generics.split_for_impl();
    let published = quote! {
        impl ::core::future::Future<
            Output = ::core::result::Result<
                (),
                #private::cqrs::DispatchError<#private::cqrs::SubscriberErrors>,
            >,
        > + ::core::marker::Send + 'a
    };
    quote! {
        #[allow(dead_code, clippy::unused_self)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #vis fn send<C: #private::cqrs::Command>(&self, _: C) -> impl ::core::future::Future<
                Output = ::core::result::Result<C::Output, #private::cqrs::DispatchError<C::Error>>,
            > + ::core::marker::Send + '_ {
                ::core::future::pending()
            }

            #vis fn ask<Q: #private::cqrs::Query>(&self, _: Q) -> impl ::core::future::Future<
                Output = ::core::result::Result<Q::Output, #private::cqrs::DispatchError<Q::Error>>,
            > + ::core::marker::Send + '_ {
                ::core::future::pending()
            }

            #vis fn publish<'a, E: #private::cqrs::Event>(&'a self, _: &'a E) -> #published {
                ::core::future::pending()
            }

            #vis fn publish_concurrently<'a, E: #private::cqrs::Event>(&'a self, _: &'a E) -> #published {
                ::core::future::pending()
            }
        }
    }
}
