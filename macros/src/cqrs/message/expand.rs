//! The message traits with the declared output and error types.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;

use super::Kind;
use super::parse::MessageOptions;
use crate::krate::CratePath;

pub(super) fn expand_message(
    input: &DeriveInput,
    kind: Kind,
    options: &MessageOptions,
) -> TokenStream {
    let ident = &input.ident;
    let name = name_of(ident);
    let krate = CratePath::new(options.krate.as_ref());
    let private = krate.private(ident.span());
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let family = format_ident!("{}Family", kind.name());
    let kind_variant = format_ident!("{}", kind.name());
    let trait_ident = format_ident!("{}", kind.name());
    let validate = options.validate.then(|| {
        quote! {
            fn validate(&self) -> ::core::result::Result<(), #private::cqrs::ValidationError> {
                <Self as #private::cqrs::Validate>::validate(self)
            }
        }
    });
    let request = match kind {
        Kind::Event => TokenStream::new(),
        Kind::Command | Kind::Query => {
            let output = options
                .output
                .as_ref()
                .map_or_else(|| quote!(()), |t| quote!(#t));
            let error = options
                .error
                .as_ref()
                .map_or_else(|| quote!(::core::convert::Infallible), |t| quote!(#t));
            quote! {
                #[automatically_derived]
                impl #impl_generics #private::cqrs::Request for #ident #ty_generics #where_clause {
                    type Output = #output;
                    type Error = #error;
                }
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::cqrs::Message for #ident #ty_generics #where_clause {
            type Family = #private::cqrs::#family;
            const NAME: &'static ::core::primitive::str = #name;
            const KIND: #private::cqrs::MessageKind = #private::cqrs::MessageKind::#kind_variant;
            #validate
        }

        #[automatically_derived]
        impl #impl_generics #private::cqrs::#trait_ident for #ident #ty_generics #where_clause {}

        #request
    }
}
