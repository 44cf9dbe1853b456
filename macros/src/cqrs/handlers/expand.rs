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
    let messages: Vec<String> = methods.iter().map(|m| m.message.to_string()).collect();
    let impls = methods.iter().enumerate().filter_map(|(index, method)| {
        if method.fallback {
            // After a mistake in a signature the handler is still implemented, once per
            // message and not beside another method's.
            let taken = methods.iter().enumerate().any(|(other, m)| {
                other != index
                    && messages[other] == messages[index]
                    && (!m.fallback || other < index)
            });
            return (!taken).then(|| expand_never(method, method.kind, item, krate, local, false));
        }
        Some(match method.kind {
            Kind::Command | Kind::Query => expand_request_handler(method, item, krate, local),
            Kind::Event => expand_event_handler(method, item, krate, local),
        })
    });
    quote! {
        #item
        #(#impls)*
    }
}

/// The handler of a `#[command]` or `#[query]` method: its call, the return type checked.
fn expand_request_handler(
    method: &HandlerMethod,
    item: &ItemImpl,
    krate: &CratePath,
    local: bool,
) -> TokenStream {
    // A local handler's future need not be `Send`.
    let send = (!local).then(|| quote!(+ ::core::marker::Send));
    let self_ty = &item.self_ty;
    let (impl_generics, _, _) = item.generics.split_for_impl();
    let name = &method.name;
    let message = &method.message;
    let span = name.span();
    let private = krate.private(span);
    let handler = handler_trait(method.kind, local);
    // The return type is checked by `returns`, whose bound names the fix; the future's own
    // output is then right by construction, so a wrong return type is one error.
    let call = call(
        method,
        &private,
        &quote_spanned!(method.output=> #private::cqrs::returns::<#message, _>),
        "message",
    );
    // The handler is implemented for the family the message is of, whichever the marker
    // says: a query marked `#[command]` is the one error, at the method's message, and the
    // bus that asks it adds none.
    let (family, other) = match method.kind {
        Kind::Command => (quote!(Command), Kind::Query),
        _ => (quote!(Query), Kind::Command),
    };
    let is = condition(item, message, &private, &family);
    let other_handler = expand_never(method, other, item, krate, local, true);
    let checked = if method.kind == Kind::Command {
        quote_spanned!(method.marker=> #private::cqrs::marked_command::<#message>)
    } else {
        quote_spanned!(method.marker=> #private::cqrs::marked_query::<#message>)
    };
    let where_clause = &item.generics.where_clause;
    quote_spanned! {message.span()=>
        #[automatically_derived]
        #[allow(unused_lifetimes, single_use_lifetimes)]
        impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #is {
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

        #other_handler

        const _: () = {
            #[allow(dead_code)]
            fn __patternkit_marked #impl_generics () #where_clause {
                let _ = #checked;
            }
        };
    }
}

/// The handler of an `#[event]` method: its call, the return type checked.
fn expand_event_handler(
    method: &HandlerMethod,
    item: &ItemImpl,
    krate: &CratePath,
    local: bool,
) -> TokenStream {
    let send = (!local).then(|| quote!(+ ::core::marker::Send));
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let name = &method.name;
    let message = &method.message;
    let span = name.span();
    let private = krate.private(span);
    let call = call(
        method,
        &private,
        &quote_spanned!(method.output=> #private::cqrs::handled),
        "event",
    );
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

/// The handler's future: the method called with the parameter `argument` (awaited in an `async` block, or
/// run on first poll when it is not `async`), what it returns passed to `check` (written at
/// the return type, as the call is, so that a wrong one is reported there).
fn call(
    method: &HandlerMethod,
    private: &TokenStream,
    check: &TokenStream,
    argument: &str,
) -> TokenStream {
    let (name, span, out) = (&method.name, method.name.span(), method.output);
    // Every token of the call is the return type's, so that lints see the user's code.
    let argument = proc_macro2::Ident::new(argument, out);
    if method.is_async {
        let checked = quote_spanned!(out=> #check(Self::#name(self, #argument).await));
        quote_spanned!(span=> async move { #checked })
    } else {
        let checked = quote_spanned!(out=> #check(Self::#name(self, #argument)));
        quote_spanned!(span=> #private::cqrs::lazy(move || #checked))
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

/// The handler of a method whose signature is wrong (an error says so), or of the family a
/// command or query method's message is not of (`conditional`): its future never completes.
/// The first never runs, the crate not compiling; the second never applies, its message not
/// being of that family.
fn expand_never(
    method: &HandlerMethod,
    kind: Kind,
    item: &ItemImpl,
    krate: &CratePath,
    local: bool,
    conditional: bool,
) -> TokenStream {
    let send = (!local).then(|| quote!(+ ::core::marker::Send));
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let message = &method.message;
    let private = krate.private(method.name.span());
    let handler = handler_trait(kind, local);
    let (parameter, output, family) = match kind {
        Kind::Command | Kind::Query => (
            quote!(_: #message),
            quote!(::core::result::Result<
                <#message as #private::cqrs::Request>::Output,
                <#message as #private::cqrs::Request>::Error,
            >),
            if kind == Kind::Command {
                quote!(Command)
            } else {
                quote!(Query)
            },
        ),
        Kind::Event => (quote!(_: &#message), quote!(()), quote!(Event)),
    };
    let (hidden, where_clause) = if conditional {
        (
            Some(quote!(#[doc(hidden)] #[allow(unused_lifetimes, single_use_lifetimes)])),
            condition(item, message, &private, &family),
        )
    } else {
        (None, quote!(#where_clause))
    };
    quote_spanned! {message.span()=>
        #[automatically_derived]
        #hidden
        impl #impl_generics #private::cqrs::#handler<#message> for #self_ty #where_clause {
            fn handle(&self, #parameter) -> impl ::core::future::Future<Output = #output> #send {
                ::core::future::pending()
            }
        }
    }
}

/// The impl block's `where` clause, with the condition that `message` is of `family`. The
/// condition is written for every lifetime, so that one that does not hold makes the impl
/// never apply rather than an error of its own.
fn condition(
    item: &ItemImpl,
    message: &TokenStream,
    private: &TokenStream,
    family: &TokenStream,
) -> TokenStream {
    let predicates = crate::derive_input::where_predicates(&item.generics);
    quote! {
        where #(#predicates,)* for<'__patternkit> #message: #private::cqrs::#family
    }
}
