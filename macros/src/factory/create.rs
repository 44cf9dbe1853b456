//! The factory's own functions: `create` (or `create_with` when it takes `args`), `kind`,
//! `from_name`, `kinds`, the products, and `impl Factory`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Fields, Ident};

use super::bounds::generic_field_types;
use super::conversions::{expand_kind_from_value, expand_parse_impls};
use super::expand::private;
use super::validate::{FactoryModel, FieldBuild, FieldModel, Item, VariantModel};
use crate::krate::CratePath;

pub(super) fn expand_factory_impls(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel {
        ident,
        vis,
        generics,
        kind,
        ..
    } = model;
    let private = private(model);
    let (impl_generics, ty_generics, _) = generics.split_for_impl();

    // Generic field types get their bounds here; concrete ones are checked where they are
    // built, so an error points at the field.
    let mut predicates = crate::derive_input::where_predicates(generics);
    let create_bounds: Vec<TokenStream> =
        generic_field_types(model, |f| matches!(f.build, FieldBuild::Default))
            .into_iter()
            .map(|ty| quote!(#ty: #private::FactoryField))
            .collect();
    let kind_predicates = predicates.clone();
    predicates.extend(create_bounds.iter().cloned());
    let create_where = quote!(where #(#predicates,)*);

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
    let not_an_enum = not_an_enum_arm(model);
    let creating = (!model.kind_only).then(|| expand_create(model, &create_where));
    let product = expand_product(model, &predicates);
    // The trait's `from_name` (the kind's, then `create`) is the inherent one, unless a miss
    // is the `other` variant, which the enum's own lookup fills in.
    let from_name = model.kinds().any(|v| v.other).then(|| {
        quote! {
            fn from_name(name: &::core::primitive::str) -> ::core::result::Result<Self, #private::UnknownKind<#kind>> {
                Self::from_name(name)
            }
        }
    });
    let factory_trait = (!model.kind_only && model.args.is_none()).then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::Factory for #ident #ty_generics #create_where {
                type Kind = #kind;

                fn create(kind: #kind) -> Self {
                    Self::create(kind)
                }

                fn kind(&self) -> ::core::option::Option<#kind> {
                    #kind_to_option
                }

                #from_name
            }
        }
    });

    let impl_generics = quote!(#impl_generics);
    let this = quote!(#ident #ty_generics);
    let kind_where = quote!(where #(#kind_predicates,)*);
    // Parsed from a name when it is built without arguments.
    let parsing = (!model.kind_only && model.args.is_none())
        .then(|| expand_parse_impls(model, &impl_generics, &this, &create_where));
    let kind_from_value = expand_kind_from_value(model, &impl_generics, &this, &kind_where);

    quote! {
        // A private enum need not use every generated function.
        #[allow(dead_code)]
        impl #impl_generics #this #kind_where {
            #[doc = #kind_doc]
            #[must_use]
            #vis const fn kind(&self) -> #kind_ty {
                match *self {
                    #(#kind_arms)*
                    #not_an_enum
                }
            }

            /// Every kind, in declaration order.
            #[must_use]
            #vis const fn kinds() -> &'static [#kind] {
                #kind::ALL
            }

            #creating
            #product
        }

        #factory_trait
        #parsing
        #kind_from_value
    }
}

/// `create` and `from_name`, or `create_with` and `from_name_with` when the factory takes
/// `args`.
fn expand_create(model: &FactoryModel<'_>, create_where: &TokenStream) -> TokenStream {
    let FactoryModel { vis, kind, .. } = model;
    let private = private(model);
    let args = model
        .args
        .map(|ty| (Ident::new("__args", Span::mixed_site()), ty));
    let create_arms = model.kinds().map(|variant| {
        let name = &variant.ident;
        let value = expand_build(variant, &model.krate, args.as_ref().map(|(a, _)| a));
        quote!(#kind::#name => #value,)
    });
    let from_name_miss = expand_other(model);
    let comparison = model.matching.describe();
    let from_name_doc =
        format!("A new value of the variant with this name or alias, compared {comparison}.");
    match &args {
        None => quote! {
            /// A new value of the variant `kind`, each field built with `Default` or its
            /// `#[factory(with = ...)]` constructor.
            #[must_use]
            #vis fn create(kind: #kind) -> Self #create_where {
                match kind {
                    #(#create_arms)*
                }
            }

            #[doc = #from_name_doc]
            ///
            /// # Errors
            ///
            /// `UnknownKind` when no name matches; it lists the accepted ones.
            #[inline]
            #vis fn from_name(name: &::core::primitive::str) -> ::core::result::Result<Self, #private::UnknownKind<#kind>> #create_where {
                match __patternkit_lookup(name) {
                    ::core::option::Option::Some(kind) => ::core::result::Result::Ok(Self::create(kind)),
                    ::core::option::Option::None => #from_name_miss,
                }
            }
        },
        Some((args, ty)) => quote! {
            /// A new value of the variant `kind`, each field built with `Default` or its
            /// `#[factory(with = ...)]` constructor, which is given `args`.
            #[must_use]
            #vis fn create_with(kind: #kind, #args: &#ty) -> Self #create_where {
                match kind {
                    #(#create_arms)*
                }
            }

            #[doc = #from_name_doc]
            /// Its fields are built as by `create_with`.
            ///
            /// # Errors
            ///
            /// `UnknownKind` when no name matches; it lists the accepted ones.
            #[inline]
            #vis fn from_name_with(name: &::core::primitive::str, #args: &#ty) -> ::core::result::Result<Self, #private::UnknownKind<#kind>> #create_where {
                match __patternkit_lookup(name) {
                    ::core::option::Option::Some(kind) => ::core::result::Result::Ok(Self::create_with(kind, #args)),
                    ::core::option::Option::None => #from_name_miss,
                }
            }
        },
    }
}

/// A new value of one variant.
fn expand_build(
    variant: &VariantModel<'_>,
    krate: &CratePath,
    args: Option<&Ident>,
) -> TokenStream {
    let name = &variant.ident;
    let values = variant
        .fields
        .iter()
        .map(|field| expand_field(field, krate, args));
    match variant.shape {
        Fields::Unit => quote!(Self::#name),
        Fields::Unnamed(_) => quote!(Self::#name(#(#values),*)),
        Fields::Named(_) => {
            let names = variant.fields.iter().map(|f| &f.field.ident);
            quote!(Self::#name { #(#names: #values),* })
        }
    }
}

fn expand_field(field: &FieldModel<'_>, krate: &CratePath, args: Option<&Ident>) -> TokenStream {
    let ty = &field.field.ty;
    match (field.build, args) {
        (FieldBuild::Default, _) => {
            // Spanned at the field so that a type without `Default` is reported there.
            let span = ty.span();
            let private = krate.private(span);
            quote_spanned!(span=> <#ty as #private::FactoryField>::factory_default())
        }
        // Through a `fn` pointer, so that a closure is not called where it is written (a
        // clippy lint) and a wrong signature is reported against the field's type.
        (FieldBuild::With(expr), None) => quote_spanned! {expr.span()=>
            {
                let __with: fn() -> #ty = #expr;
                __with()
            }
        },
        (FieldBuild::With(expr), Some(args)) => quote_spanned! {expr.span()=>
            {
                let __with: fn(&_) -> #ty = #expr;
                __with(#args)
            }
        },
    }
}

/// What `from_name` returns for a name that matches no kind.
fn expand_other(model: &FactoryModel<'_>) -> TokenStream {
    let Some(variant) = model.kinds().find(|v| v.other) else {
        let private = private(model);
        return quote!(::core::result::Result::Err(#private::UnknownKind::new()));
    };
    let name = &variant.ident;
    let Some(field) = variant.fields.first() else {
        return quote!(::core::unreachable!());
    };
    let ty = &field.field.ty;
    let value = quote_spanned!(ty.span()=> <#ty as ::core::convert::From<&::core::primitive::str>>::from(name));
    let build = match variant.shape {
        Fields::Named(_) => {
            let field = &field.field.ident;
            quote!(Self::#name { #field: #value })
        }
        _ => quote!(Self::#name(#value)),
    };
    quote!(::core::result::Result::Ok(#build))
}

/// `into_product`, and `create_product` (or `create_product_with`) unless the factory is
/// `kind_only`, with `product = dyn Trait`.
fn expand_product(model: &FactoryModel<'_>, predicates: &[TokenStream]) -> TokenStream {
    let Some(product) = model.product else {
        return TokenStream::new();
    };
    let kind = &model.kind;
    let vis = model.vis;
    let private = private(model);
    let payload = Ident::new("__payload", Span::mixed_site());
    let not_an_enum = not_an_enum_arm(model);
    let arms = model.variants.iter().map(|variant| {
        let name = &variant.ident;
        let [field] = variant.fields.as_slice() else {
            return quote!(Self::#name { .. } => ::core::unreachable!(),);
        };
        let ty = &field.field.ty;
        // The whole cast at the field's type, so a payload that is not the product is
        // reported there.
        let at_field = model.krate.private(ty.span());
        let cast = quote_spanned! {ty.span()=>
            #at_field::Box::new(#payload) as #at_field::Box<#product>
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
    let create = match (model.kind_only, model.args) {
        (true, _) => TokenStream::new(),
        (false, None) => quote! {
            /// A new value of the variant `kind`, as its product.
            #[must_use]
            #vis fn create_product(kind: #kind) -> #private::Box<#product> where #(#product_predicates,)* {
                Self::create(kind).into_product()
            }
        },
        (false, Some(ty)) => quote! {
            /// A new value of the variant `kind`, built with `args`, as its product.
            #[must_use]
            #vis fn create_product_with(kind: #kind, args: &#ty) -> #private::Box<#product> where #(#product_predicates,)* {
                Self::create_with(kind, args).into_product()
            }
        },
    };
    quote! {
        /// The product this value holds, as a trait object.
        #[must_use]
        #vis fn into_product(self) -> #private::Box<#product> where #(#product_predicates,)* {
            match self {
                #(#arms)*
                #not_an_enum
            }
        }

        #create
    }
}

/// The last arm of a `match` on the value when the derive is on a struct or union (an error
/// says so): there are no variants to list, and the code never runs.
pub(super) fn not_an_enum_arm(model: &FactoryModel<'_>) -> Option<TokenStream> {
    (model.item == Item::NotAnEnum).then(|| quote!(_ => ::core::unreachable!(),))
}
