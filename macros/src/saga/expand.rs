//! The `Saga` impl: the steps as data, and one arm per step calling its method with what its
//! parameters name.

use crate::ident_name::name_of;
use crate::item_impl::ItemImpl;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::validate::{Binding, Kind, SagaModel};
use crate::krate::CratePath;

pub(super) fn expand_saga(
    item: &ItemImpl,
    model: &SagaModel<'_>,
    krate: &CratePath,
) -> TokenStream {
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let private = krate.private(syn::spanned::Spanned::span(&item.self_ty));
    let name = &model.name;
    let input = &model.input;
    let infos = model.steps.iter().map(|step| {
        let step_name = &step.name;
        let kind = match step.kind {
            Kind::Compensatable => quote!(Compensatable),
            Kind::Pivot => quote!(Pivot),
            Kind::Retriable => quote!(Retriable),
        };
        let compensation = match &step.compensation {
            Some((undo, _)) => {
                let undo = name_of(&undo.ident);
                quote!(::core::option::Option::Some(#undo))
            }
            None => quote!(::core::option::Option::None),
        };
        let attempts = match step.attempts {
            Some(n) => quote!(::core::option::Option::Some(#n)),
            None => quote!(::core::option::Option::None),
        };
        let timeout = match step.timeout_ms {
            Some(ms) => {
                quote!(::core::option::Option::Some(::core::time::Duration::from_millis(#ms)))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #private::saga::StepInfo {
                name: #step_name,
                kind: #private::saga::StepKind::#kind,
                compensation: #compensation,
                attempts: #attempts,
                timeout: #timeout,
            }
        }
    });
    let actions = model.steps.iter().enumerate().map(|(index, step)| {
        let call = call(&step.method.ident, &step.bindings, &private, true);
        quote!(#index => ::std::boxed::Box::pin(async move { #call }),)
    });
    let undos = model.steps.iter().enumerate().filter_map(|(index, step)| {
        let (undo, bindings) = step.compensation.as_ref()?;
        let call = call(&undo.ident, bindings, &private, false);
        Some(quote!(#index => ::std::boxed::Box::pin(async move { #call }),))
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::saga::Saga for #self_ty #where_clause {
            const NAME: &'static ::core::primitive::str = #name;
            const STEPS: &'static [#private::saga::StepInfo] = &[#(#infos),*];
            type Input = #input;

            fn action<'__a>(
                &'__a self,
                step: ::core::primitive::usize,
                call: #private::saga::Call<'__a, Self::Input>,
            ) -> #private::saga::StepFuture<'__a> {
                let _ = &call;
                match step {
                    #(#actions)*
                    _ => #private::saga::no_such_step(step),
                }
            }

            fn compensation<'__a>(
                &'__a self,
                step: ::core::primitive::usize,
                call: #private::saga::Call<'__a, Self::Input>,
            ) -> #private::saga::StepFuture<'__a> {
                let _ = &call;
                match step {
                    #(#undos)*
                    _ => #private::saga::no_such_step(step),
                }
            }
        }
    }
}

/// Reads what the parameters name, calls the method, and logs its output (a step) or
/// drops it (a compensation).
fn call(
    method: &syn::Ident,
    bindings: &[Binding],
    private: &TokenStream,
    keep: bool,
) -> TokenStream {
    let mut reads = Vec::new();
    let mut args = Vec::new();
    for (at, binding) in bindings.iter().enumerate() {
        match binding {
            Binding::Context => args.push(quote!(call.context)),
            Binding::Input => args.push(quote!(call.input)),
            Binding::Output {
                index,
                ty,
                by_ref,
                produced,
            } => {
                let local = format_ident!("__output{at}");
                let span = syn::spanned::Spanned::span(ty);
                // Read back as the type the step returned, checked against the parameter's:
                // a borrowing parameter (`&str` of a `String`) is lent it, one taken by value
                // must be that type.
                match (produced, *by_ref) {
                    (Some(produced), true) => {
                        reads.push(quote_spanned! {span=>
                            let #local: #produced = call.outputs.get(#index)?;
                        });
                        args.push(quote_spanned! {span=>
                            #private::saga::lend::<#ty, #produced>(&#local)
                        });
                    }
                    (Some(produced), false) => {
                        reads.push(quote_spanned! {span=>
                            #private::saga::same_output::<#ty, #produced>();
                            let #local: #ty = call.outputs.get(#index)?;
                        });
                        args.push(quote!(#local));
                    }
                    (None, by_ref) => {
                        reads.push(quote_spanned! {span=>
                            let #local: #ty = call.outputs.get(#index)?;
                        });
                        args.push(if by_ref {
                            quote!(&#local)
                        } else {
                            quote!(#local)
                        });
                    }
                }
            }
        }
    }
    let finish = if keep {
        quote!(#private::saga::encode_output(&__output))
    } else {
        quote! {
            let _ = __output;
            ::core::result::Result::Ok(::std::string::String::new())
        }
    };
    quote! {
        #(#reads)*
        let __output = Self::#method(self, #(#args),*)
            .await
            .map_err(#private::saga::StepError::new)?;
        #finish
    }
}

/// A `Saga` impl that compiles whatever the mistakes were, so uses of the saga add no errors
/// of their own: no steps, nothing to call.
pub(super) fn expand_fallback(
    item: &ItemImpl,
    model: &SagaModel<'_>,
    krate: &CratePath,
) -> TokenStream {
    let empty = SagaModel {
        name: model.name.clone(),
        input: crate::owned::ty(&model.input),
        steps: Vec::new(),
    };
    expand_saga(item, &empty, krate)
}
