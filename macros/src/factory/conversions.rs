//! The standard conversions: `FromStr` and `TryFrom<&str>` through `from_name` (for the kind,
//! and for the enum when it is built without arguments, as strum's `EnumString`), and
//! `From<Enum>` and `From<&Enum>` for the kind (as strum's `EnumDiscriminants`).

use proc_macro2::TokenStream;
use quote::quote;

use super::validate::FactoryModel;

/// `FromStr` and `TryFrom<&str>` for `ty`, both `Self::from_name`, returning the factory's
/// `error = E` (converted with `From`) or `UnknownKind`.
pub(super) fn expand_parse_impls(
    model: &FactoryModel<'_>,
    impl_generics: &TokenStream,
    ty: &TokenStream,
    where_clause: &TokenStream,
) -> TokenStream {
    let kind = &model.kind;
    let (error, convert) = match model.error {
        Some(error) => (
            quote!(#error),
            quote!(.map_err(::core::convert::From::from)),
        ),
        None => {
            let private = super::expand::private(model);
            (quote!(#private::UnknownKind<#kind>), TokenStream::new())
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::str::FromStr for #ty #where_clause {
            type Err = #error;

            #[inline]
            fn from_str(name: &::core::primitive::str) -> ::core::result::Result<Self, #error> {
                Self::from_name(name)#convert
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::convert::TryFrom<&::core::primitive::str> for #ty #where_clause {
            type Error = #error;

            #[inline]
            fn try_from(name: &::core::primitive::str) -> ::core::result::Result<Self, #error> {
                Self::from_name(name)#convert
            }
        }
    }
}

/// `From<Enum>` and `From<&Enum>` for a generated kind (the factory's own functions are not
/// expanded for an enum that is its own kind), both `kind()`; none when a variant is
/// skipped, as such a value has no kind.
pub(super) fn expand_kind_from_value(
    model: &FactoryModel<'_>,
    impl_generics: &TokenStream,
    ty: &TokenStream,
    where_clause: &TokenStream,
) -> Option<TokenStream> {
    if model.variants.iter().any(|v| v.skip) {
        return None;
    }
    let kind = &model.kind;
    Some(quote! {
        #[automatically_derived]
        impl #impl_generics ::core::convert::From<#ty> for #kind #where_clause {
            #[inline]
            fn from(value: #ty) -> Self {
                value.kind()
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::convert::From<&#ty> for #kind #where_clause {
            #[inline]
            fn from(value: &#ty) -> Self {
                value.kind()
            }
        }
    })
}
