//! What a machine whose table could not be read still gets: its functions, with bodies that
//! never run, so that the one mistake is not followed by an error at every use.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::parse::MachineInput;
use crate::krate::CratePath;

/// The machine's inherent functions, taking any event and context. They compile and are
/// never called: the build fails on the mistake reported beside them.
pub(super) fn expand_fallback(parsed: &MachineInput<'_>) -> TokenStream {
    let input: &DeriveInput = parsed.input;
    let ident = &input.ident;
    let vis = &input.vis;
    let private = CratePath::new(parsed.options.krate.as_ref()).private(ident.span());
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let asking = if parsed.options.context.is_some() {
        quote!(_: &__E, _: &__C)
    } else {
        quote!(_: &__E)
    };
    let context = if parsed.options.context.is_some() {
        quote!(__C: ?::core::marker::Sized,)
    } else {
        quote!()
    };
    let firing = if parsed.options.context.is_some() {
        quote!(_: &mut __C)
    } else {
        quote!()
    };
    quote! {
        const _: () = {
            #[allow(dead_code, clippy::unused_self)]
            impl #impl_generics #ident #ty_generics #where_clause {
                #vis const NAME: &'static ::core::primitive::str = "";
                #vis const STATES: &'static [&'static ::core::primitive::str] = &[];
                #vis const EVENTS: &'static [&'static ::core::primitive::str] = &[];
                #vis const TRANSITIONS: &'static [#private::TransitionInfo] = &[];

                #vis fn initial() -> Self {
                    ::core::unreachable!()
                }

                #vis fn start<#context>(&mut self, #firing) {}

                #vis const fn state_name(&self) -> &'static ::core::primitive::str {
                    ""
                }

                #vis const fn state_index(&self) -> ::core::primitive::usize {
                    0
                }

                #vis fn next<__E: ?::core::marker::Sized, #context>(&self, #asking)
                    -> ::core::option::Option<&'static #private::TransitionInfo>
                {
                    ::core::option::Option::None
                }

                #vis fn can<__E: ?::core::marker::Sized, #context>(&self, #asking) -> ::core::primitive::bool {
                    false
                }

                #vis fn fire<__E: ?::core::marker::Sized, #context>(
                    &mut self,
                    _: &__E,
                    #firing
                ) -> ::core::result::Result<#private::Fired<Self>, #private::InvalidTransition<Self>> {
                    ::core::unreachable!()
                }

                #vis const fn to_mermaid() -> &'static ::core::primitive::str {
                    ""
                }

                #vis const fn to_dot() -> &'static ::core::primitive::str {
                    ""
                }
            }
        };
    }
}
