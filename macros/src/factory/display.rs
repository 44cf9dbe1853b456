//! `Display` on the enum: each variant's `format`, or its kind's name.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Fields;

use super::validate::{FactoryModel, VariantModel};

/// `impl Display` for the enum itself (with `display`, or a variant with `format`).
pub(super) fn expand_display(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel {
        ident, generics, ..
    } = model;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let arms = model.variants.iter().map(display_arm);
    let not_an_enum = super::create::not_an_enum_arm(model);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#arms)*
                    #not_an_enum
                }
            }
        }
    }
}

/// One arm: the fields bound by name (a tuple variant's as `__field0`…) for the variant's
/// `format`, or the kind's name (the identifier, for a skipped variant) padded as `str` is.
pub(super) fn display_arm(variant: &VariantModel<'_>) -> TokenStream {
    let name = &variant.ident;
    let Some(format) = &variant.format else {
        let text = variant
            .names
            .first()
            .cloned()
            .unwrap_or_else(|| name_of(name));
        return quote!(Self::#name { .. } => f.pad(#text),);
    };
    let pattern = match variant.shape {
        Fields::Unit => quote!(Self::#name),
        Fields::Named(_) => {
            let fields = variant.fields.iter().map(|f| &f.field.ident);
            quote!(Self::#name { #(#fields),* })
        }
        Fields::Unnamed(_) => {
            // At the format string, whose `{0}` became `{__field0}`: the bindings and the
            // captures it names then share a span.
            let fields = (0..variant.fields.len())
                .map(|i| format_ident!("__field{}", i, span = format.span()));
            quote!(Self::#name(#(#fields),*))
        }
    };
    quote! {
        #[allow(unused_variables)]
        #pattern => ::core::write!(f, #format),
    }
}
