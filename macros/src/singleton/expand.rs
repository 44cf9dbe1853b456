//! The validated model as tokens: a hidden static cell, inherent functions, the trait impl.

use crate::ident_name::name_of;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::validate::{Init, Singleton};

pub(super) fn expand_singleton(item: &TokenStream, singleton: &Singleton<'_>) -> TokenStream {
    let Singleton {
        ident, vis, krate, ..
    } = singleton;
    let private = krate.private(ident.span());
    let cell = format_ident!("__PATTERNKIT_SINGLETON");
    let name = name_of(ident);

    // Spanned at the type. The static is `Sync` because the type is a `Singleton`, so a type
    // that is not `Send + Sync` is reported once, at the `Singleton` impl, not again here.
    let cell_static = quote_spanned! {ident.span()=>
        static #cell: #private::SingletonStatic<#ident> = #private::SingletonStatic::new(#name);
    };
    let (instance, mode_fns) = expand_init(singleton, &cell);
    let testing = expand_testing(singleton, &cell);

    quote! {
        #item

        const _: () = {
            #cell_static

            impl #ident {
                #[doc = ::core::concat!("The one `", #name, "`, created on first use.")]
                #[doc = ""]
                #[doc = "# Panics"]
                #[doc = ""]
                #[doc = "When it cannot be created (see `#[singleton]`), or when its creation needs it again (a cycle)."]
                #[inline]
                #[must_use]
                #vis fn instance() -> &'static Self {
                    #instance
                }

                #[doc = ::core::concat!("The one `", #name, "` if it has been created; never creates it.")]
                #[inline]
                #[must_use]
                #vis fn get() -> ::core::option::Option<&'static Self> {
                    #cell.get()
                }

                #[doc = ::core::concat!("The one `", #name, "`, once another thread (or an earlier call) has created it: blocks until then, never creates it.")]
                #[must_use]
                #vis fn wait() -> &'static Self {
                    #cell.wait()
                }

                #[doc = ::core::concat!("Whether the one `", #name, "` has been created.")]
                #[inline]
                #[must_use]
                #vis fn is_initialized() -> ::core::primitive::bool {
                    #cell.get().is_some()
                }

                #mode_fns
                #testing
            }

            #[automatically_derived]
            impl #private::Singleton for #ident {
                #[inline]
                fn instance() -> &'static Self {
                    Self::instance()
                }

                #[inline]
                fn get() -> ::core::option::Option<&'static Self> {
                    Self::get()
                }

                fn wait() -> &'static Self {
                    Self::wait()
                }
            }
        };
    }
}

/// The body of `instance()`, and the functions that only some ways of creating it have.
fn expand_init(singleton: &Singleton<'_>, cell: &syn::Ident) -> (TokenStream, TokenStream) {
    let Singleton {
        ident, vis, krate, ..
    } = singleton;
    match &singleton.init {
        Init::Default => (
            {
                let private = krate.private(ident.span());
                quote_spanned! {ident.span()=>
                #cell.get_or_init(<Self as #private::SingletonDefault>::singleton_default)
                }
            },
            TokenStream::new(),
        ),
        Init::Fn(path) => (
            quote_spanned! {path.span()=> #cell.get_or_init(#path) },
            TokenStream::new(),
        ),
        Init::TryFn { path, error } => {
            // The path is named once, in `try_instance`, so a wrong signature is one error.
            let instance = quote! {
                match Self::try_instance() {
                    ::core::result::Result::Ok(instance) => instance,
                    ::core::result::Result::Err(error) => #cell.init_failed(&error),
                }
            };
            let (error_ty, body) = match error {
                Some(error) => (
                    quote!(#error),
                    quote_spanned! {path.span()=> #cell.get_or_try_init(#path) },
                ),
                None => {
                    let span = path.span();
                    let private = krate.private(span);
                    let cell = syn::Ident::new(&cell.to_string(), span);
                    (
                        quote!(#private::BoxError),
                        quote_spanned! {span=>
                            match #cell.get_or_try_init(#path) {
                                ::core::result::Result::Ok(instance) => ::core::result::Result::Ok(instance),
                                ::core::result::Result::Err(error) => ::core::result::Result::Err(
                                    #private::IntoBoxError::into_box_error(error),
                                ),
                            }
                        },
                    )
                }
            };
            let try_instance = quote! {
                #[doc = "The instance, created on first use, or the error its initialiser returned."]
                #[doc = ""]
                #[doc = "An error is not kept: the next call runs the initialiser again."]
                #[doc = ""]
                #[doc = "# Errors"]
                #[doc = ""]
                #[doc = "The error the initialiser returned."]
                #[inline]
                #vis fn try_instance() -> ::core::result::Result<&'static Self, #error_ty> {
                    #body
                }
            };
            (instance, try_instance)
        }
        Init::Manual => {
            let name = name_of(ident);
            let init = quote! {
                #[doc = ::core::concat!("Gives the one `", #name, "` its value; `instance()` needs this first.")]
                #[doc = ""]
                #[doc = "# Errors"]
                #[doc = ""]
                #[doc = "`Err(value)`, giving `value` back, when the value was already set."]
                #[inline]
                #vis fn init(value: Self) -> ::core::result::Result<&'static Self, Self> {
                    #cell.set(value)
                }
            };
            (quote!(#cell.get_or_panic_unset()), init)
        }
    }
}

fn expand_testing(singleton: &Singleton<'_>, cell: &syn::Ident) -> TokenStream {
    if !cfg!(feature = "testing") {
        return TokenStream::new();
    }
    let vis = singleton.vis;
    quote! {
        #[doc = "Makes `instance()` and `get()` return `value` on this thread while `body` runs."]
        #[doc = ""]
        #[doc = "Other threads are not affected, so parallel tests can each use their own value. The stand-in is a `&'static` (a `static`, or a value the test leaks) because what `instance()` returns inside `body` may outlive it."]
        #vis fn scoped_override<R>(value: &'static Self, body: impl ::core::ops::FnOnce() -> R) -> R {
            #cell.scoped_override(value, body)
        }
    }
}

/// The same functions with bodies that never run, emitted beside the compile errors of a bad
/// declaration so that its uses do not add errors of their own.
pub(super) fn expand_fallback(singleton: &Singleton<'_>) -> TokenStream {
    let Singleton {
        ident,
        vis,
        generics,
        init,
        ..
    } = singleton;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let mode_fns = match init {
        Init::TryFn { .. } => quote! {
            #vis fn try_instance() -> ::core::result::Result<&'static Self, ::std::boxed::Box<dyn ::std::error::Error + ::core::marker::Send + ::core::marker::Sync>> {
                ::core::unreachable!()
            }
        },
        Init::Manual => quote! {
            #vis fn init(_: Self) -> ::core::result::Result<&'static Self, Self> {
                ::core::unreachable!()
            }
        },
        Init::Default | Init::Fn(_) => TokenStream::new(),
    };
    let testing = cfg!(feature = "testing").then(|| {
        quote! {
            #vis fn scoped_override<R>(_: &'static Self, _: impl ::core::ops::FnOnce() -> R) -> R {
                ::core::unreachable!()
            }
        }
    });
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #vis fn instance() -> &'static Self {
                ::core::unreachable!()
            }
            #vis fn get() -> ::core::option::Option<&'static Self> {
                ::core::unreachable!()
            }
            #vis fn is_initialized() -> ::core::primitive::bool {
                ::core::unreachable!()
            }
            #vis fn wait() -> &'static Self {
                ::core::unreachable!()
            }
            #mode_fns
            #testing
        }
    }
}
