//! Events on a bus: each event's subscribers, in field order, as the impl that delivers to
//! them, each call spanned at its field. Inside the impl the event is `Self`: named
//! once, in the impl's header, an event type that cannot be found is one error.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::parse::{BusField, BusInput};
use crate::krate::CratePath;

/// For every event, in the order first named: its subscriber list (fields in order) as a
/// `Publish` impl.
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
        items.push(expand_publish(bus, event, subscribers, krate, &private));
    }
    items
}

/// `field`'s handler called with `event` and awaited, spanned at the field's type: a field
/// that does not subscribe to the event is reported there, once, by the handler trait's
/// message.
fn subscriber_call(field: &BusField<'_>, handler: &TokenStream, krate: &CratePath) -> TokenStream {
    let name = field.ident;
    let span = field.field.ty.span();
    let private = krate.private(span);
    let call =
        quote_spanned!(span=> #private::cqrs::#handler::<Self>::handle(__subscriber, event).await);
    quote!({
        let __subscriber = &bus.#name;
        #call
    })
}

/// The delivery of `event` to `subscribers` (fields in order): a `Publish` impl with its
/// concurrent form, or a `PublishLocal` impl on a local bus.
fn expand_publish(
    bus: &BusInput<'_>,
    event: &Type,
    subscribers: &[&BusField<'_>],
    krate: &CratePath,
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
        let label = name_of(field.ident);
        let call = subscriber_call(field, &handler, krate);
        quote! {
            errors.record(
                #label,
                #private::cqrs::Handled::into_result(#call),
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
        let label = name_of(field.ident);
        let call = subscriber_call(field, &handler, krate);
        quote! {
            (
                #label,
                #private::Box::pin(async move {
                    #private::cqrs::Handled::into_result(#call)
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
