//! One `Provides` impl per field (direct calls, no map), the graph checked in a `const`, and
//! `resolve`.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::{ContainerInput, Life};
use crate::krate::CratePath;
use crate::type_key::type_key;

pub(super) fn expand_container(container: &ContainerInput<'_>) -> TokenStream {
    let ident = &container.input.ident;
    let vis = &container.input.vis;
    let name = name_of(ident);
    let krate = CratePath::new(container.krate.as_ref());
    let private = krate.private(ident.span());

    let mut impls = Vec::new();
    let mut providers = Vec::new();
    for (slot, provider) in container.providers.iter().enumerate() {
        let service = &provider.service;
        let key = type_key(service);
        let implementation = provider.implementation;
        let field = provider.ident;
        let span = provider.field_ty.span();
        let field_private = krate.private(span);
        let make = match provider.life {
            Life::Singleton => quote_spanned! {span=>
                self.#field.get_or_init(|| <#implementation as #field_private::di::Assemble<Self>>::assemble(self))
            },
            Life::Transient => quote_spanned! {span=>
                {
                    // The field only says how the service lives; reading it keeps it used.
                    let _ = &self.#field;
                    #field_private::Arc::new(<#implementation as #field_private::di::Assemble<Self>>::assemble(self))
                }
            },
        };
        // Spanned at the field: an implementation that is not the service (`Once<Sms>` for
        // `dyn Notifier`) is reported there.
        let coerce = quote_spanned!(span=> instance);
        impls.push(quote! {
            #[automatically_derived]
            impl #private::di::Provides<#service> for #ident {
                const SLOT: ::core::option::Option<::core::primitive::usize> = ::core::option::Option::Some(#slot);

                fn provide(&self) -> #private::Arc<#service> {
                    let instance: #private::Arc<#implementation> = #make;
                    #coerce
                }
            }
        });
        // Same span and obligation as `make`, so a missing provider is reported once.
        let wiring = quote_spanned!(span=> <#implementation as #field_private::di::Assemble<#ident>>::WIRING);
        providers.push(quote! {
            #private::di::Provider {
                service: #key,
                wiring: #wiring,
            }
        });
    }
    quote! {
        #(#impls)*

        // Every cycle among the providers is a compile error naming its chain: this `panic!`
        // runs in the compiler's const evaluation of the user's crate, never at run time.
        const _: () = if let ::core::option::Option::Some(cycle) =
            #private::di::check_graph(#name, &[#(#providers),*])
        {
            ::core::panic!("{}", cycle.as_str());
        };

        // A private container need not use `resolve`.
        #[allow(dead_code)]
        impl #ident {
            /// The service `S`, built by direct calls from what the fields provide.
            #[must_use]
            #vis fn resolve<S: ?::core::marker::Sized>(&self) -> #private::Arc<S>
            where
                Self: #private::di::Provides<S>,
            {
                <Self as #private::di::Provides<S>>::provide(self)
            }
        }
    }
}

/// What a container that is not a struct with named fields, or is generic, still gets (an
/// error names the mistake): `resolve` for any service, never run, so that the code resolving
/// from it adds no errors of its own.
pub(super) fn expand_fallback(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let vis = &input.vis;
    let krate = super::parse::read_krate(input, &mut crate::errors::Errors::default());
    let private = CratePath::new(krate.as_ref()).private(ident.span());
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[allow(dead_code, clippy::unused_self)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #vis fn resolve<S: ?::core::marker::Sized>(&self) -> #private::Arc<S> {
                #private::di::unread()
            }
        }
    }
}
