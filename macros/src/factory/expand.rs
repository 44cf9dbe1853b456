//! The validated model as tokens: the kind enum and its impls, then the factory's own.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Fields, Ident};

use super::bounds::generic_field_types;
use super::lookup::{Entry, expand_lookup};
use super::validate::{FactoryModel, FieldBuild, FieldModel, VariantModel};
use crate::krate::CratePath;

pub(super) fn expand_factory(model: &FactoryModel<'_>) -> TokenStream {
    let kind_enum = expand_kind_enum(model);
    let kind_impls = expand_kind_impls(model);
    let factory_impls = expand_factory_impls(model);
    quote! {
        #kind_enum
        const _: () = {
            #kind_impls
            #factory_impls
        };
    }
}

fn private(model: &FactoryModel<'_>) -> TokenStream {
    model.krate.private(model.ident.span())
}

fn expand_kind_enum(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel {
        ident,
        vis,
        kind,
        kind_derive,
        ..
    } = model;
    let doc =
        format!("The kinds of `{ident}`: one for each variant `#[derive(Factory)]` can create.");
    let variants = model.kinds().map(|variant| {
        let name = &variant.ident;
        let doc = format!("`{ident}::{name}`.");
        quote!(#[doc = #doc] #name,)
    });
    let extra = (!kind_derive.is_empty()).then(|| quote!(#[derive(#(#kind_derive),*)]));
    quote! {
        #[doc = #doc]
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::cmp::PartialOrd,
            ::core::cmp::Ord,
        )]
        #extra
        #vis enum #kind {
            #(#variants)*
        }
    }
}

fn expand_kind_impls(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel {
        ident, vis, kind, ..
    } = model;
    let private = private(model);
    let factory_name = ident.to_string();
    let all = model.kinds().map(|v| &v.ident);
    let name_arms = model.kinds().map(|variant| {
        let name = &variant.ident;
        let text = variant.names.first().map_or("", String::as_str);
        quote!(Self::#name => #text,)
    });
    let accepted: Vec<&String> = model
        .kinds()
        .filter(|v| !v.other)
        .flat_map(|v| &v.names)
        .collect();
    let entries: Vec<Entry> = model
        .kinds()
        .filter(|v| !v.other)
        .flat_map(|variant| {
            let name = &variant.ident;
            variant.names.iter().map(move |text| Entry {
                name: text.clone(),
                target: quote!(#kind::#name),
            })
        })
        .collect();
    let bytes = format_ident!("__bytes");
    let lookup = expand_lookup(&entries, &bytes, &private);
    let miss = match model.kinds().find(|v| v.other) {
        Some(other) => {
            let other = &other.ident;
            quote!(::core::result::Result::Ok(Self::#other))
        }
        None => quote! {
            ::core::result::Result::Err(#private::UnknownKind::new(#factory_name, name, __PATTERNKIT_NAMES))
        },
    };
    quote! {
        const __PATTERNKIT_NAMES: &[&str] = &[#(#accepted),*];

        #[inline]
        fn __patternkit_lookup(name: &str) -> ::core::option::Option<#kind> {
            let #bytes = name.as_bytes();
            #lookup
        }

        // A private enum need not use every generated function.
        #[allow(dead_code)]
        impl #kind {
            /// Every kind, in declaration order.
            #vis const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The kind's name, the first one `from_name` accepts.
            #[must_use]
            #vis const fn name(self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }

            /// The kind with this name or alias, compared ignoring ASCII case.
            ///
            /// # Errors
            ///
            /// `UnknownKind` when no name matches; it lists the accepted names.
            #[inline]
            #vis fn from_name(name: &str) -> ::core::result::Result<Self, #private::UnknownKind> {
                match __patternkit_lookup(name) {
                    ::core::option::Option::Some(kind) => ::core::result::Result::Ok(kind),
                    ::core::option::Option::None => #miss,
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #kind {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.name())
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #kind {
            type Err = #private::UnknownKind;

            fn from_str(name: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::from_name(name)
            }
        }

        #[automatically_derived]
        impl #private::FactoryKind for #kind {
            const ALL: &'static [Self] = Self::ALL;

            fn name(self) -> &'static str {
                Self::name(self)
            }

            fn from_name(name: &str) -> ::core::result::Result<Self, #private::UnknownKind> {
                Self::from_name(name)
            }
        }
    }
}

fn expand_factory_impls(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel {
        ident,
        vis,
        generics,
        kind,
        ..
    } = model;
    let private = private(model);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    // Generic field types get their bounds here; concrete ones are checked where they are
    // built, so an error points at the field.
    let mut predicates: Vec<TokenStream> = where_clause
        .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    let create_bounds: Vec<TokenStream> =
        generic_field_types(model, |f| matches!(f.build, FieldBuild::Default))
            .into_iter()
            .map(|ty| quote!(#ty: #private::FactoryField))
            .collect();
    predicates.extend(create_bounds.iter().cloned());
    let create_where = quote!(where #(#predicates,)*);

    let create_arms = model.kinds().map(|variant| {
        let name = &variant.ident;
        let value = expand_build(variant, &model.krate);
        quote!(#kind::#name => #value,)
    });
    let any_skipped = model.variants.iter().any(|v| v.skip);
    let kind_arms = model.variants.iter().map(|variant| {
        let name = &variant.ident;
        let value = match (variant.skip, any_skipped) {
            (true, _) => quote!(::core::option::Option::None),
            (false, true) => quote!(::core::option::Option::Some(#kind::#name)),
            (false, false) => quote!(#kind::#name),
        };
        quote!(Self::#name { .. } => #value,)
    });
    let (kind_ty, kind_doc, kind_to_option) = if any_skipped {
        (
            quote!(::core::option::Option<#kind>),
            "The kind of this value; `None` for a variant marked `#[factory(skip)]`.",
            quote!(Self::kind(self)),
        )
    } else {
        (
            quote!(#kind),
            "The kind of this value.",
            quote!(::core::option::Option::Some(Self::kind(self))),
        )
    };
    let from_name_miss = expand_other(model, &private);
    let product = expand_product(model, &predicates);

    quote! {
        // A private enum need not use every generated function.
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics {
            /// A new value of the variant `kind`, each field built with `Default` or its
            /// `#[factory(with = ...)]` constructor.
            #[must_use]
            #vis fn create(kind: #kind) -> Self #create_where {
                match kind {
                    #(#create_arms)*
                }
            }

            #[doc = #kind_doc]
            #[must_use]
            #vis const fn kind(&self) -> #kind_ty {
                match *self {
                    #(#kind_arms)*
                }
            }

            /// A new value of the variant with this name or alias, compared ignoring ASCII
            /// case.
            ///
            /// # Errors
            ///
            /// `UnknownKind` when no name matches; it keeps the name given and lists the
            /// accepted ones.
            #[inline]
            #vis fn from_name(name: &str) -> ::core::result::Result<Self, #private::UnknownKind> #create_where {
                match __patternkit_lookup(name) {
                    ::core::option::Option::Some(kind) => ::core::result::Result::Ok(Self::create(kind)),
                    ::core::option::Option::None => #from_name_miss,
                }
            }

            /// Every kind, in declaration order.
            #[must_use]
            #vis const fn kinds() -> &'static [#kind] {
                #kind::ALL
            }

            #product
        }

        #[automatically_derived]
        impl #impl_generics #private::Factory for #ident #ty_generics #create_where {
            type Kind = #kind;

            fn create(kind: #kind) -> Self {
                Self::create(kind)
            }

            fn kind(&self) -> ::core::option::Option<#kind> {
                #kind_to_option
            }

            fn from_name(name: &str) -> ::core::result::Result<Self, #private::UnknownKind> {
                Self::from_name(name)
            }
        }
    }
}

/// A new value of one variant.
fn expand_build(variant: &VariantModel<'_>, krate: &CratePath) -> TokenStream {
    let name = &variant.ident;
    let values = variant
        .fields
        .iter()
        .map(|field| expand_field(field, krate));
    match variant.shape {
        Fields::Unit => quote!(Self::#name),
        Fields::Unnamed(_) => quote!(Self::#name(#(#values),*)),
        Fields::Named(_) => {
            let names = variant.fields.iter().map(|f| &f.field.ident);
            quote!(Self::#name { #(#names: #values),* })
        }
    }
}

fn expand_field(field: &FieldModel<'_>, krate: &CratePath) -> TokenStream {
    let ty = &field.field.ty;
    match field.build {
        FieldBuild::Default => {
            // Spanned at the field so that a type without `Default` is reported there.
            let span = ty.span();
            let private = krate.private(span);
            quote_spanned!(span=> <#ty as #private::FactoryField>::factory_default())
        }
        // Through a `fn` pointer, so that a closure is not called where it is written (a
        // clippy lint) and a wrong signature is reported against the field's type.
        FieldBuild::With(expr) => quote_spanned! {expr.span()=>
            {
                let __with: fn() -> #ty = #expr;
                __with()
            }
        },
    }
}

/// What `from_name` returns for a name that matches no kind.
fn expand_other(model: &FactoryModel<'_>, private: &TokenStream) -> TokenStream {
    let factory_name = model.ident.to_string();
    match model.kinds().find(|v| v.other) {
        Some(variant) => {
            let name = &variant.ident;
            let Some(field) = variant.fields.first() else {
                return quote!(::core::unreachable!());
            };
            let ty = &field.field.ty;
            let value =
                quote_spanned!(ty.span()=> <#ty as ::core::convert::From<&str>>::from(name));
            let build = match variant.shape {
                Fields::Named(_) => {
                    let field = &field.field.ident;
                    quote!(Self::#name { #field: #value })
                }
                _ => quote!(Self::#name(#value)),
            };
            quote!(::core::result::Result::Ok(#build))
        }
        None => quote! {
            ::core::result::Result::Err(#private::UnknownKind::new(#factory_name, name, __PATTERNKIT_NAMES))
        },
    }
}

/// `into_product` and `create_product`, with `product = dyn Trait`.
fn expand_product(model: &FactoryModel<'_>, predicates: &[TokenStream]) -> TokenStream {
    let Some(product) = model.product else {
        return TokenStream::new();
    };
    let kind = &model.kind;
    let vis = model.vis;
    let payload = Ident::new("__payload", Span::mixed_site());
    let arms = model.variants.iter().map(|variant| {
        let name = &variant.ident;
        let [field] = variant.fields.as_slice() else {
            return quote!(Self::#name { .. } => ::core::unreachable!(),);
        };
        let ty = &field.field.ty;
        let cast = quote_spanned! {ty.span()=>
            ::std::boxed::Box::new(#payload) as ::std::boxed::Box<#product>
        };
        match variant.shape {
            Fields::Named(_) => {
                let field = &field.field.ident;
                quote!(Self::#name { #field: #payload } => #cast,)
            }
            _ => quote!(Self::#name(#payload) => #cast,),
        }
    });
    let bounds = match product {
        syn::Type::TraitObject(object) => {
            let bounds = &object.bounds;
            quote!(#bounds)
        }
        _ => quote!(::core::marker::Sized),
    };
    let mut product_predicates: Vec<TokenStream> = predicates.to_vec();
    product_predicates.extend(
        generic_field_types(model, |_| true)
            .into_iter()
            .map(|ty| quote!(#ty: #bounds + 'static)),
    );
    quote! {
        /// The product this value holds, as a trait object.
        #[must_use]
        #vis fn into_product(self) -> ::std::boxed::Box<#product> where #(#product_predicates,)* {
            match self {
                #(#arms)*
            }
        }

        /// A new value of the variant `kind`, as its product.
        #[must_use]
        #vis fn create_product(kind: #kind) -> ::std::boxed::Box<#product> where #(#product_predicates,)* {
            Self::create(kind).into_product()
        }
    }
}
