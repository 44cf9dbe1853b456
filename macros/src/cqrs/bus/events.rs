//! Events on a bus: each event's subscribers, in field order, as the impl that delivers to
//! them, with a check at each subscribing field. Inside the impl the event is `Self`: named
//! once, in the impl's header, an event type that cannot be found is one error.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use super::expand::handles_check;
use super::parse::{BusField, BusInput};
use crate::krate::CratePath;

/// For every event, in the order first named: its subscriber list (fields in order) as a
/// `Publish` impl, and a check at each subscribing field.
pub(super) fn expand_events(bus: &BusInput<'_>, krate: &CratePath) -> Vec<TokenStream> {
    let private = krate.private(bus.input.ident.span());
    let mut items = Vec::new();
    let mut events: Vec<(&Type, Vec<&BusField<'_>>)> = Vec::new();
    for field in &bus.fields {
        for event in &field.subscribes {
            let key = quote!(#event).to_string();
            match events
                .iter_mut()
                .find(|(e, _)| quote!(#e).to_string() == key)
            {
                Some((_, fields)) => fields.push(field),
                None => events.push((event, vec![field])),
            }
        }
    }
    for event in &bus.publishes {
        let key = quote!(#event).to_string();
        if !events.iter().any(|(e, _)| quote!(#e).to_string() == key) {
            events.push((event, Vec::new()));
        }
    }
    for (event, subscribers) in &events {
        let check = handles_check(subscribers, event, false, krate, bus);
        items.push(expand_publish(bus, event, subscribers, &check, &private));
    }
    items
}

/// The delivery of `event` to `subscribers` (fields in order): a `Publish` impl with its
/// concurrent form, or a `PublishLocal` impl on a local bus.
fn expand_publish(
    bus: &BusInput<'_>,
    event: &Type,
    subscribers: &[&BusField<'_>],
    check: &TokenStream,
    private: &TokenStream,
) -> TokenStream {
    let ident = &bus.input.ident;
    let (impl_generics, ty_generics, where_clause) = bus.input.generics.split_for_impl();
    let local = bus.local.is_some();
    let handler = if local {
        quote!(LocalEventHandler)
    } else {
        quote!(EventHandler)
    };
    let calls = subscribers.iter().map(|field| {
        let name = field.ident;
        let label = name_of(name);
        quote! {
            errors.record(
                #label,
                #private::cqrs::Handled::into_result(
                    #private::cqrs::#handler::<Self>::handle(&bus.#name, event).await,
                ),
            );
        }
    });
    let mutable = (!subscribers.is_empty()).then(|| quote!(mut));
    let unused = subscribers
        .is_empty()
        .then(|| quote!(let _ = (bus, event);));
    if local {
        return quote! {
            #[automatically_derived]
            impl #impl_generics #private::cqrs::PublishLocal<#ident #ty_generics> for #event #where_clause {
                async fn deliver(
                    bus: &#ident #ty_generics,
                    event: &Self,
                ) -> ::core::result::Result<(), #private::cqrs::SubscriberErrors> {
                    #check
                    #unused
                    let #mutable errors = #private::cqrs::SubscriberErrors::new(
                        <Self as #private::cqrs::Message>::NAME,
                    );
                    #(#calls)*
                    errors.into_result()
                }
            }
        };
    }
    let deliveries = subscribers.iter().map(|field| {
        let name = field.ident;
        let label = name_of(name);
        quote! {
            (
                #label,
                #private::Box::pin(async move {
                    #private::cqrs::Handled::into_result(
                        #private::cqrs::EventHandler::<Self>::handle(&bus.#name, event).await,
                    )
                }),
            )
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::cqrs::Publish<#ident #ty_generics> for #event #where_clause {
            fn deliver(
                bus: &#ident #ty_generics,
                event: &Self,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<(), #private::cqrs::SubscriberErrors>,
            > + ::core::marker::Send {
                #check
                async move {
                    #unused
                    let #mutable errors = #private::cqrs::SubscriberErrors::new(
                        <Self as #private::cqrs::Message>::NAME,
                    );
                    #(#calls)*
                    errors.into_result()
                }
            }

            fn deliver_concurrently<'a>(
                bus: &'a #ident #ty_generics,
                event: &'a Self,
            ) -> #private::cqrs::Concurrently<'a> {
                #unused
                #private::cqrs::Concurrently::new(
                    <Self as #private::cqrs::Message>::NAME,
                    #private::vec![#(#deliveries),*],
                )
            }
        }
    }
}
