//! The `Inject` impl (dependencies as data, and how to build the struct) and `new`.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{ToTokens as _, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericParam, Member};

use super::parse::{InjectInput, Source};
use crate::krate::CratePath;

pub(super) fn expand_inject(inject: &InjectInput<'_>) -> TokenStream {
    let ident = &inject.input.ident;
    let vis = &inject.input.vis;
    let name = name_of(ident);
    let krate = CratePath::new(inject.krate.as_ref());
    let private = krate.private(ident.span());

    let dependencies = expand_dependencies(inject, &private);

    let values: Vec<TokenStream> = inject
        .fields
        .iter()
        .map(|field| {
            let span = field.ty.span();
            let private = krate.private(span);
            match &field.source {
                Source::Shared(ty) => quote_spanned! {span=>
                    #private::di::resolve::<#ty, __R>(resolver, ::core::any::type_name::<#ty>())?
                },
                Source::Owned(ty) => {
                    quote_spanned!(span=> <#ty as #private::di::Inject>::inject_from(resolver)?)
                }
                Source::All(ty) => quote_spanned! {span=>
                    #private::di::resolve_all::<#ty, __R>(resolver, ::core::any::type_name::<#ty>())?
                },
                Source::Param => {
                    let ty = field.ty;
                    let label = member_name(&field.member);
                    quote_spanned!(span=> #private::di::param::<Self, #ty, __R>(resolver, #name, #label)?)
                }
                _ => expand_fixed(field, &krate).unwrap_or_default(),
            }
        })
        .collect();
    let build = construct(inject, &values);
    // A compile-time container has no implementations to collect and no parameters: a type
    // with such fields is for the runtime container only.
    let assemble = inject
        .fields
        .iter()
        .all(|f| !matches!(f.source, Source::All(_) | Source::Param))
        .then(|| expand_assemble(inject, &krate));

    let generics = &inject.input.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    // A generic type is injected for each of its instances the container binds; every one
    // must be what `Inject` requires of a service.
    let mut service_predicates = crate::derive_input::where_predicates(generics);
    if !generics.params.is_empty() {
        service_predicates
            .push(quote!(Self: ::core::marker::Send + ::core::marker::Sync + 'static));
    }
    let service_where = quote!(where #(#service_predicates,)*);
    let constructor = inject.constructor.as_ref().map(|name| {
        let (params, new_body) = expand_constructor(inject, &values);
        quote! {
            // A private type need not use its constructor.
            #[allow(dead_code)]
            impl #impl_generics #ident #ty_generics #where_clause {
                /// Builds the value from its dependencies, given by hand (a test's stand-ins,
                /// say).
                #[must_use]
                #vis fn #name(#(#params),*) -> Self {
                    #new_body
                }
            }
        }
    });

    quote! {
        #[automatically_derived]
        impl #impl_generics #private::di::Inject for #ident #ty_generics #service_where {
            const NAME: &'static ::core::primitive::str = #name;
            const DEPENDENCIES: &'static [#private::di::Dependency] = &[#(#dependencies),*];

            fn inject(
                resolver: &dyn #private::di::Resolver,
            ) -> ::core::result::Result<Self, #private::di::ResolveError> {
                Self::inject_from(&resolver)
            }

            #[inline]
            fn inject_from<__R: #private::di::Resolver>(
                resolver: &__R,
            ) -> ::core::result::Result<Self, #private::di::ResolveError> {
                ::core::result::Result::Ok(#build)
            }
        }

        #assemble

        #constructor
    }
}

/// The value of a field that needs no container: a singleton's instance, `Default`, or a
/// `with` constructor. `None` for the fields a container provides.
fn expand_fixed(field: &super::parse::InjectField<'_>, krate: &CratePath) -> Option<TokenStream> {
    let span = field.ty.span();
    let private = krate.private(span);
    Some(match &field.source {
        Source::Singleton(ty) => quote_spanned!(span=> <#ty as #private::Singleton>::instance()),
        Source::Default => quote_spanned!(span=> ::core::default::Default::default()),
        Source::With(expr) => {
            let ty = field.ty;
            quote_spanned! {expr.span()=>
                {
                    let __with: fn() -> #ty = #expr;
                    __with()
                }
            }
        }
        // Never runs: the mistake that made it is a compile error of its own.
        Source::Unread => quote_spanned!(span=> #private::di::unread()),
        Source::Shared(_) | Source::Owned(_) | Source::All(_) | Source::Param => return None,
    })
}

/// `Assemble<C>` for every container `C` that provides what the fields need: resolution by
/// direct calls, checked by the compiler.
fn expand_assemble(inject: &InjectInput<'_>, krate: &CratePath) -> TokenStream {
    let ident = &inject.input.ident;
    let private = krate.private(ident.span());
    let container = format_ident!("__C");
    let mut bounds = Vec::new();
    let mut wiring = Vec::new();
    let values: Vec<TokenStream> = inject
        .fields
        .iter()
        .map(|field| {
            let span = field.ty.span();
            let private = krate.private(span);
            match &field.source {
                Source::Shared(ty) => {
                    bounds.push(quote!(#container: #private::di::Provides<#ty>));
                    wiring.push(quote! {
                        #private::di::Wire::Service(<#container as #private::di::Provides<#ty>>::SLOT)
                    });
                    quote_spanned!(span=> <#container as #private::di::Provides<#ty>>::provide(container))
                }
                Source::Owned(ty) => {
                    bounds.push(quote!(#ty: #private::di::Assemble<#container>));
                    wiring.push(quote! {
                        #private::di::Wire::Built(<#ty as #private::di::Assemble<#container>>::WIRING)
                    });
                    quote_spanned!(span=> <#ty as #private::di::Assemble<#container>>::assemble(container))
                }
                _ => expand_fixed(field, krate).unwrap_or_default(),
            }
        })
        .collect();
    let build = construct(inject, &values);
    let generics = &inject.input.generics;
    // The struct's parameters as an impl declares them (no defaults), then the container's.
    let params = generics.params.iter().map(|param| match param {
        GenericParam::Type(ty) => {
            let (name, bounds) = (&ty.ident, &ty.bounds);
            let colon = (!bounds.is_empty()).then(|| quote!(:));
            quote!(#name #colon #bounds)
        }
        GenericParam::Const(constant) => {
            let (name, ty) = (&constant.ident, &constant.ty);
            quote!(const #name: #ty)
        }
        GenericParam::Lifetime(lifetime) => lifetime.to_token_stream(),
    });
    let impl_generics = quote!(<#(#params,)* #container: ?::core::marker::Sized>);
    let mut where_predicates = crate::derive_input::where_predicates(generics);
    where_predicates.extend(bounds);
    let where_clause = quote!(where #(#where_predicates,)*);
    let (_, ty_generics, _) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::di::Assemble<#container> for #ident #ty_generics
        #where_clause
        {
            const WIRING: &'static [#private::di::Wire] = &[#(#wiring),*];

            fn assemble(container: &#container) -> Self {
                let _ = container;
                #build
            }
        }
    }
}

fn construct(inject: &InjectInput<'_>, values: &[TokenStream]) -> TokenStream {
    if inject.not_a_struct {
        // The derive is on an enum or union, reported as the one error: never built.
        let private = CratePath::new(inject.krate.as_ref()).private(inject.input.ident.span());
        return quote!(#private::di::unread());
    }
    let members = inject.fields.iter().map(|f| &f.member);
    if inject.fields.is_empty() {
        quote!(Self {})
    } else if inject.named {
        quote!(Self { #(#members: #values),* })
    } else {
        quote!(Self(#(#values),*))
    }
}

/// A field's name as text: `url`, or `0` for a tuple struct's first field.
fn member_name(member: &Member) -> String {
    match member {
        Member::Named(name) => name_of(name),
        Member::Unnamed(index) => index.index.to_string(),
    }
}

/// Each field's [`Dependency`](patternkit::di::Dependency), for the container's graph check.
fn expand_dependencies(inject: &InjectInput<'_>, private: &TokenStream) -> Vec<TokenStream> {
    inject
        .fields
        .iter()
        .filter_map(|field| {
            let (ty, kind, nested) = match &field.source {
                Source::Shared(ty) => (*ty, quote!(Shared), quote!(&[])),
                Source::All(ty) => (*ty, quote!(All), quote!(&[])),
                Source::Owned(ty) => (
                    *ty,
                    quote!(Owned),
                    quote!(<#ty as #private::di::Inject>::DEPENDENCIES),
                ),
                Source::Param => {
                    let ty = field.ty;
                    let label = member_name(&field.member);
                    return Some(quote! {
                        #private::di::Dependency {
                            name: || #label,
                            type_id: ::core::any::TypeId::of::<#ty>,
                            kind: #private::di::DependencyKind::Param,
                            dependencies: &[],
                        }
                    });
                }
                _ => return None,
            };
            Some(quote! {
                #private::di::Dependency {
                    name: ::core::any::type_name::<#ty>,
                    type_id: ::core::any::TypeId::of::<#ty>,
                    kind: #private::di::DependencyKind::#kind,
                    dependencies: #nested,
                }
            })
        })
        .collect()
}

/// The constructor's parameters (what a container would inject) and its body, which fills
/// in the rest itself.
fn expand_constructor(
    inject: &InjectInput<'_>,
    values: &[TokenStream],
) -> (Vec<TokenStream>, TokenStream) {
    // `new` takes what a container would inject; the rest it fills in itself.
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (index, field) in inject.fields.iter().enumerate() {
        match &field.source {
            Source::Shared(_) | Source::Owned(_) | Source::All(_) | Source::Param => {
                let param = match &field.member {
                    Member::Named(name) => name.clone(),
                    Member::Unnamed(_) => format_ident!("field{index}"),
                };
                let ty = field.ty;
                params.push(quote!(#param: #ty));
                args.push(quote!(#param));
            }
            _ => args.push(values[index].clone()),
        }
    }
    (params, construct(inject, &args))
}
