//! The inherent methods of a `#[bus(local)]`, whose handlers' futures need not be `Send`.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::BusInput;

/// `send`, `ask` and `publish` of a `#[bus(local)]`: the same calls, through the local
/// handler traits, with futures that need not be `Send`.
pub(super) fn expand_local(bus: &BusInput<'_>, private: &TokenStream) -> TokenStream {
    let ident = &bus.input.ident;
    let vis = &bus.input.vis;
    let (impl_generics, ty_generics, where_clause) = bus.input.generics.split_for_impl();
    let pipeline = bus
        .fields
        .iter()
        .find(|f| f.middleware.is_some())
        .map_or_else(
            || quote!(::core::option::Option::None),
            |field| {
                let name = field.ident;
                quote!(::core::option::Option::Some(&self.#name))
            },
        );
    quote! {
    // Inherent so that no trait needs importing to use the bus.
    #[allow(dead_code)]
    impl #impl_generics #ident #ty_generics #where_clause {
        /// Sends a command to its one handler, on this thread.
        ///
        /// # Errors
        ///
        /// The handler's error, or the middleware's rejection.
        #vis fn send<C>(&self, command: C) -> impl ::core::future::Future<
            Output = ::core::result::Result<C::Output, #private::cqrs::DispatchError<C::Error>>,
        > + '_
        where
            C: #private::cqrs::Command + #private::cqrs::Route<Self>,
            <C as #private::cqrs::Route<Self>>::Handler: #private::cqrs::LocalCommandHandler<C>,
        {
            #private::cqrs::local::send(self, #pipeline, command)
        }

        /// Asks a query of its one handler, on this thread.
        ///
        /// # Errors
        ///
        /// The handler's error, or the middleware's rejection.
        #vis fn ask<Q>(&self, query: Q) -> impl ::core::future::Future<
            Output = ::core::result::Result<Q::Output, #private::cqrs::DispatchError<Q::Error>>,
        > + '_
        where
            Q: #private::cqrs::Query + #private::cqrs::Route<Self>,
            <Q as #private::cqrs::Route<Self>>::Handler: #private::cqrs::LocalQueryHandler<Q>,
        {
            #private::cqrs::local::ask(self, #pipeline, query)
        }

        /// Publishes an event to every subscriber, one after another in field order; each
        /// runs whether or not one before it failed.
        ///
        /// # Errors
        ///
        /// Every subscriber that failed, or the middleware's rejection.
        #vis fn publish<'a, E>(&'a self, event: &'a E) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                (),
                #private::cqrs::DispatchError<#private::cqrs::SubscriberErrors>,
            >,
        > + 'a
        where
            E: #private::cqrs::PublishLocal<Self>,
        {
            #private::cqrs::local::publish(self, #pipeline, event)
        }
    }
    }
}
