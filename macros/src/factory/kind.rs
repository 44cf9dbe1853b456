//! The kind enum (unless the enum is its own kind) and what every kind has: its names, the
//! lookup, `Display`, `FromStr`, `TryFrom<&str>` and the traits generic code uses.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::conversions::expand_parse_impls;
use super::display::display_arm;
use super::expand::private;
use super::lookup::{Compare, Entry, expand_lookup};
use super::validate::{FactoryModel, Matching};

pub(super) fn expand_kind_enum(model: &FactoryModel<'_>) -> TokenStream {
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
    let idents: Vec<String> = model.kinds().map(|v| name_of(v.ident)).collect();
    // `PartialEq` and `Eq` are derived, so that a kind constant can be a pattern; the rest
    // are written out over the discriminant, which is what their derives do, at a fraction
    // of what the derives cost the compiler for every factory.
    let (derived, written) = if idents.is_empty() {
        (
            quote!(
                ::core::clone::Clone,
                ::core::marker::Copy,
                ::core::fmt::Debug,
                ::core::hash::Hash,
                ::core::cmp::PartialOrd,
                ::core::cmp::Ord,
            ),
            TokenStream::new(),
        )
    } else {
        (
            TokenStream::new(),
            expand_kind_traits_by_discriminant(kind, &idents),
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(#derived ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #extra
        #vis enum #kind {
            #(#variants)*
        }

        #written
    }
}

/// `Clone`, `Copy`, `Debug` (the variant's name), `Hash`, `PartialOrd` and `Ord` (declaration
/// order) for a fieldless kind enum with at least one variant, as their derives would have
/// them.
fn expand_kind_traits_by_discriminant(kind: &syn::Ident, idents: &[String]) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::core::clone::Clone for #kind {
            #[inline]
            fn clone(&self) -> Self {
                *self
            }
        }

        #[automatically_derived]
        impl ::core::marker::Copy for #kind {}

        #[automatically_derived]
        impl ::core::fmt::Debug for #kind {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str([#(#idents),*][*self as ::core::primitive::usize])
            }
        }

        #[automatically_derived]
        impl ::core::hash::Hash for #kind {
            #[inline]
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(&(*self as ::core::primitive::isize), state);
            }
        }

        #[automatically_derived]
        impl ::core::cmp::PartialOrd for #kind {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }

        #[automatically_derived]
        impl ::core::cmp::Ord for #kind {
            #[inline]
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                ::core::cmp::Ord::cmp(
                    &(*self as ::core::primitive::isize),
                    &(*other as ::core::primitive::isize),
                )
            }
        }
    }
}

pub(super) fn expand_kind_impls(model: &FactoryModel<'_>) -> TokenStream {
    let FactoryModel { vis, kind, .. } = model;
    let private = private(model);
    let all = model.kinds().map(|v| &v.ident);
    let primary: Vec<&str> = model
        .kinds()
        .map(|v| v.names.first().map_or("", String::as_str))
        .collect();
    let name_arms = model.kinds().zip(&primary).map(|(variant, text)| {
        let name = &variant.ident;
        quote!(Self::#name => #text,)
    });
    // Only after an error (a variant of an enum that is its own kind holds data, or is
    // skipped): the other functions still compile, so nothing cascades.
    let left_out =
        (model.kind_is_self && model.variants.iter().any(|v| v.skip)).then(|| quote!(_ => "",));
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
    let lookup = expand_lookup(
        &entries,
        &Compare {
            bytes: &bytes,
            private: &private,
            fold: model.matching == Matching::IgnoreAsciiCase,
        },
    );
    let unknown = quote!(#private::UnknownKind<#kind>);
    let miss = match model.kinds().find(|v| v.other) {
        Some(other) => {
            let other = &other.ident;
            quote!(::core::result::Result::Ok(Self::#other))
        }
        None => quote!(::core::result::Result::Err(#private::UnknownKind::new())),
    };
    let comparison = model.matching.describe();
    let from_name_doc = format!("The kind with this name or alias, compared {comparison}.");
    // A user's enum that is its own kind need not be `Copy`; it is matched as a place, so
    // that an enum without variants (an error reported already) is matched exhaustively.
    let (receiver, matched) = if model.kind_is_self {
        (quote!(&self), quote!(*self))
    } else {
        (quote!(self), quote!(self))
    };
    // Without aliases the trait's default (`NAMES`) is the list.
    let aliased = accepted
        .iter()
        .map(|name| name.as_str())
        .ne(primary.iter().copied());
    let traits = expand_kind_traits(model, aliased.then_some(&accepted[..]));
    let iter = expand_self_iter(model);
    quote! {
        #[inline]
        fn __patternkit_lookup(name: &::core::primitive::str) -> ::core::option::Option<#kind> {
            let #bytes = name.as_bytes();
            #lookup
        }

        // A private enum need not use every generated function.
        #[allow(dead_code)]
        impl #kind {
            /// Every kind, in declaration order.
            #vis const ALL: &'static [Self] = &[#(Self::#all),*];

            /// Each kind's name, in the order of `ALL`.
            #vis const NAMES: &'static [&'static ::core::primitive::str] = &[#(#primary),*];

            /// The kind's name, the first one `from_name` accepts.
            #[must_use]
            #vis const fn name(#receiver) -> &'static ::core::primitive::str {
                match #matched {
                    #(#name_arms)*
                    #left_out
                }
            }

            #[doc = #from_name_doc]
            ///
            /// # Errors
            ///
            /// `UnknownKind` when no name matches; it lists the accepted names.
            #[inline]
            #vis fn from_name(name: &::core::primitive::str) -> ::core::result::Result<Self, #unknown> {
                match __patternkit_lookup(name) {
                    ::core::option::Option::Some(kind) => ::core::result::Result::Ok(kind),
                    ::core::option::Option::None => #miss,
                }
            }

            #iter
        }

        #traits
    }
}

/// `iter()` on an enum that is its own kind: a generated kind has `FactoryKind::iter`, but
/// this enum need not be `Copy`, so each value is made again from the one in `ALL`.
fn expand_self_iter(model: &FactoryModel<'_>) -> Option<TokenStream> {
    if !model.kind_is_self {
        return None;
    }
    let vis = model.vis;
    let arms = model.kinds().map(|variant| {
        let name = &variant.ident;
        quote!(Self::#name => Self::#name,)
    });
    let left_out = model
        .variants
        .iter()
        .any(|v| v.skip)
        .then(|| quote!(_ => ::core::unreachable!(),));
    Some(quote! {
        /// Every kind, in declaration order, by value: strum's `EnumIter`.
        #vis fn iter() -> ::core::iter::Map<::core::slice::Iter<'static, Self>, fn(&Self) -> Self> {
            ::core::iter::Iterator::map(Self::ALL.iter(), |kind| match *kind {
                #(#arms)*
                #left_out
            })
        }
    })
}

/// `FactoryNames`, `Display`, `FromStr`, `TryFrom<&str>` and (for a generated kind enum)
/// `FactoryKind`; `accepted` is every name and alias, when there are more than the names.
fn expand_kind_traits(model: &FactoryModel<'_>, accepted: Option<&[&String]>) -> TokenStream {
    let kind = &model.kind;
    let private = private(model);
    let factory_name = name_of(model.ident);
    let unknown = quote!(#private::UnknownKind<#kind>);
    let display_body = if model.kind_is_self && model.variants.iter().any(|v| v.format.is_some()) {
        let arms = model.variants.iter().map(display_arm);
        quote!(match self { #(#arms)* })
    } else {
        quote!(f.pad(self.name()))
    };
    let accepted = accepted.map(|accepted| {
        quote!(const ACCEPTED: &'static [&'static ::core::primitive::str] = &[#(#accepted),*];)
    });
    let parsing = expand_parse_impls(
        model,
        &TokenStream::new(),
        &quote!(#kind),
        &TokenStream::new(),
    );
    let factory_kind = (!model.kind_is_self).then(|| {
        quote! {
            #[automatically_derived]
            impl #private::FactoryKind for #kind {
                const ALL: &'static [Self] = Self::ALL;

                fn name(self) -> &'static ::core::primitive::str {
                    Self::name(self)
                }

                fn from_name(name: &::core::primitive::str) -> ::core::result::Result<Self, #unknown> {
                    Self::from_name(name)
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #private::FactoryNames for #kind {
            const FACTORY: &'static ::core::primitive::str = #factory_name;
            const NAMES: &'static [&'static ::core::primitive::str] = Self::NAMES;
            #accepted
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #kind {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #display_body
            }
        }

        #parsing

        #factory_kind
    }
}
