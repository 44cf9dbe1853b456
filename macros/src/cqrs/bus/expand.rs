//! Routes, subscriber lists and the `Bus` impl, plus a check at each field that it handles
//! what it claims.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::parse::{BusField, BusInput};
use crate::krate::CratePath;

pub(super) fn expand_bus(bus: &BusInput<'_>) -> TokenStream {
    let ident = &bus.input.ident;
    let krate = CratePath::new(bus.krate.as_ref());
    let private = krate.private(ident.span());
    let (impl_generics, ty_generics, where_clause) = bus.input.generics.split_for_impl();

    let mut items = Vec::new();
    let mut routed: Vec<String> = Vec::new();
    for field in &bus.fields {
        let name = field.ident;
        let field_ty = &field.field.ty;
        for message in &field.handles {
            // A second registration is reported by validation; one route is enough.
            let key = quote!(#message).to_string();
            if routed.contains(&key) {
                continue;
            }
            routed.push(key);
            let check = handles_check(field, message, &krate, bus);
            let route_private = krate.private(message.span());
            let around = if bus.local.is_some() {
                None
            } else {
                expand_around(bus, message, &krate.private(ident.span()))
            };
            items.push(quote_spanned! {message.span()=>
                #[automatically_derived]
                impl #impl_generics #route_private::cqrs::Route<#ident #ty_generics> for #message #where_clause {
                    type Handler = #field_ty;

                    #[inline]
                    fn handler(bus: &#ident #ty_generics) -> &Self::Handler {
                        #check
                        &bus.#name
                    }

                    #around
                }
            });
        }
    }

    items.extend(super::events::expand_events(bus, &krate));

    let middleware = bus
        .fields
        .iter()
        .find(|f| f.middleware.is_some())
        .map(|field| {
            let name = field.ident;
            quote! {
                #[inline]
                fn middleware(&self) -> ::core::option::Option<&#private::cqrs::Pipeline> {
                    ::core::option::Option::Some(&self.#name)
                }
            }
        });
    if bus.local.is_some() {
        let inherent = super::local::expand_local(bus, &private);
        return quote! {
            const _: () = {
                #(#items)*

                #inherent
            };
        };
    }
    let inherent = expand_inherent(bus, &private);
    quote! {
        const _: () = {
            #(#items)*

            #[automatically_derived]
            impl #impl_generics #private::cqrs::Bus for #ident #ty_generics #where_clause {
                #middleware
            }

            #inherent
        };
    }
}

/// The behaviours around `message`, first field outermost, as `Route::around`; nothing when
/// no field wraps it. Each behaviour is named at its field's type, so one that does not wrap
/// `message` is reported there.
fn expand_around(bus: &BusInput<'_>, message: &Type, private: &TokenStream) -> Option<TokenStream> {
    // Inside the `Route` impl the message is `Self`: named once, in the impl's header, a
    // message type that cannot be found is one error.
    let ident = &bus.input.ident;
    let (_, ty_generics, _) = bus.input.generics.split_for_impl();
    let layers: Vec<&BusField<'_>> = bus
        .fields
        .iter()
        .filter(|field| field.behavior.as_ref().is_some_and(|w| w.wraps(message)))
        .collect();
    let (outermost, inner) = layers.split_first()?;
    let chain = inner.iter().rev().fold(quote!(next), |next, field| {
        let name = field.ident;
        let span = field.field.ty.span();
        quote_spanned!(span=> #private::cqrs::Chain::new(&bus.#name, #next))
    });
    let name = outermost.ident;
    let field_ty = &outermost.field.ty;
    let call = quote_spanned! {field_ty.span()=>
        <#field_ty as #private::cqrs::Behavior<Self>>::handle(&bus.#name, request, #chain)
    };
    Some(quote! {
        const BEHAVIORS: ::core::primitive::bool = true;

        #[inline]
        fn around<N: #private::cqrs::Next<Self>>(
            bus: &#ident #ty_generics,
            request: Self,
            next: N,
        ) -> impl ::core::future::Future<Output = #private::cqrs::Response<Self>> + ::core::marker::Send {
            #call
        }
    })
}

/// `send`, `ask` and `publish` as inherent functions, so that no trait needs importing.
fn expand_inherent(bus: &BusInput<'_>, private: &TokenStream) -> TokenStream {
    let ident = &bus.input.ident;
    let vis = &bus.input.vis;
    let (impl_generics, ty_generics, where_clause) = bus.input.generics.split_for_impl();
    quote! {
    // Inherent so that no trait needs importing to use the bus.
    #[allow(dead_code)]
    impl #impl_generics #ident #ty_generics #where_clause {
        /// Sends a command to its one handler.
        ///
        /// # Errors
        ///
        /// The handler's error, or the middleware's rejection.
        #[inline]
        #vis fn send<C>(&self, command: C) -> impl ::core::future::Future<
            Output = ::core::result::Result<C::Output, #private::cqrs::DispatchError<C::Error>>,
        > + ::core::marker::Send + '_
        where
            C: #private::cqrs::Command + #private::cqrs::Route<Self>,
            <C as #private::cqrs::Route<Self>>::Handler: #private::cqrs::CommandHandler<C>,
        {
            <Self as #private::cqrs::Bus>::send(self, command)
        }

        /// Asks a query of its one handler.
        ///
        /// # Errors
        ///
        /// The handler's error, or the middleware's rejection.
        #[inline]
        #vis fn ask<Q>(&self, query: Q) -> impl ::core::future::Future<
            Output = ::core::result::Result<Q::Output, #private::cqrs::DispatchError<Q::Error>>,
        > + ::core::marker::Send + '_
        where
            Q: #private::cqrs::Query + #private::cqrs::Route<Self>,
            <Q as #private::cqrs::Route<Self>>::Handler: #private::cqrs::QueryHandler<Q>,
        {
            <Self as #private::cqrs::Bus>::ask(self, query)
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
        > + ::core::marker::Send + 'a
        where
            E: #private::cqrs::Event + #private::cqrs::Publish<Self>,
        {
            <Self as #private::cqrs::Bus>::publish(self, event)
        }

        /// Publishes an event to every subscriber at once, polled together on the awaiting
        /// task.
        ///
        /// # Errors
        ///
        /// Every subscriber that failed, or the middleware's rejection.
        #vis fn publish_concurrently<'a, E>(&'a self, event: &'a E) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                (),
                #private::cqrs::DispatchError<#private::cqrs::SubscriberErrors>,
            >,
        > + ::core::marker::Send + 'a
        where
            E: #private::cqrs::Event + #private::cqrs::Publish<Self>,
        {
            <Self as #private::cqrs::Bus>::publish_concurrently(self, event)
        }
    }
    }
}

/// A statement that fails to compile, at the field's type, when that type does not handle
/// the impl's message (`Self`, spanned at `message`), and at `message` when it is an event
/// (published to subscribers, not handled by one field). It goes inside the `Route` impl, so
/// the message is named only in its header (a type that cannot be found is one error), and
/// costs nothing at run time: the checking function is only named, never called.
fn handles_check(
    field: &BusField<'_>,
    message: &Type,
    krate: &CratePath,
    bus: &BusInput<'_>,
) -> TokenStream {
    let handler_of = if bus.local.is_some() {
        quote!(LocalHandlerOf)
    } else {
        quote!(HandlerOf)
    };
    let this = quote_spanned!(message.span()=> Self);
    let family = {
        let private = krate.private(message.span());
        quote_spanned!(message.span()=> F: #private::cqrs::HandledFamily,)
    };
    let field_ty = &field.field.ty;
    let span = field_ty.span();
    let private = krate.private(span);
    quote_spanned! {span=>
        {
            fn __handles<H, M, F>()
            where
                M: #private::cqrs::Message<Family = F>,
                H: #private::cqrs::#handler_of<M, F>,
                #family
            {
            }
            let _: fn() = __handles::<#field_ty, #this, _>;
        }
    }
}
