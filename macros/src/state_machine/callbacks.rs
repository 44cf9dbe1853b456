//! Machine-level callbacks around `fire`: `before_event` before each event is tried,
//! `on_transition` after a row fired, `on_unhandled` after a rejection, and with `log` the
//! same written through the `log` facade.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;

use super::model::Machine;
use super::tokens::{call_user, context_arg, context_param};

/// The body of `fire` and the items it needs: `inner` (the body that fires without calling
/// anyone back) itself when the table names no callback, or else a call of `inner` moved
/// into a function of its own (its `return`s must not skip the callbacks), around which the
/// callbacks run.
pub(super) fn wrap_fire(
    machine: &Machine<'_>,
    private: &TokenStream,
    inner: TokenStream,
) -> (TokenStream, TokenStream) {
    let callbacks = machine.callbacks;
    if !callbacks.any() {
        return (inner, TokenStream::new());
    }
    let event = machine.event;
    let context = super::tokens::context_type(machine);
    let fire_error = machine.fire_error(private);
    let (asyncness, awaited) = if machine.is_async() {
        (quote!(async), quote!(.await))
    } else {
        (quote!(), quote!())
    };
    // A fallible machine's error holds the rejection among the guards' and actions' errors.
    let (refused, others) = if machine.error.is_some() {
        (
            quote!(::core::result::Result::Err(#private::FireError::Rejected(__refused))),
            quote!(::core::result::Result::Err(_) => {}),
        )
    } else {
        (quote!(::core::result::Result::Err(__refused)), quote!())
    };
    let log = callbacks.log.then(|| {
        let span = machine.ident.span();
        quote_spanned!(span=> <#private::MachineLogger as #private::MachineLog>)
    });
    let before_log = log
        .as_ref()
        .map(|log| quote!(#log::before_event::<Self>(self.state_name());));
    let transition_log = log
        .as_ref()
        .map(|log| quote!(#log::transition::<Self>(*__fired);));
    let unhandled_log = log
        .as_ref()
        .map(|log| quote!(#log::unhandled::<Self>(*__refused);));
    let before = callbacks
        .before_event
        .as_ref()
        .map(|path| call(machine, path, &quote!(&Self), &quote!(&*self)));
    let transition = callbacks.on_transition.as_ref().map(|path| {
        call(
            machine,
            path,
            &quote!(#private::Fired<Self>),
            &quote!(*__fired),
        )
    });
    let unhandled = callbacks.on_unhandled.as_ref().map(|path| {
        call(
            machine,
            path,
            &quote!(#private::InvalidTransition<Self>),
            &quote!(*__refused),
        )
    });
    let function = quote! {
        #[inline]
        #asyncness fn __patternkit_fire(
            &mut self,
            event: &#event,
            context: &mut #context,
        ) -> ::core::result::Result<#private::Fired<Self>, #fire_error> {
            let _ = &context;
            #inner
        }
    };
    let body = quote! {
        #before_log
        #before
        let __result = self.__patternkit_fire(event, context)#awaited;
        match &__result {
            ::core::result::Result::Ok(__fired) => {
                #transition_log
                #transition
            }
            #refused => {
                #unhandled_log
                #unhandled
            }
            #others
        }
        __result
    };
    (body, function)
}

/// The callback at `path`, checked as `fn(first, &Event[, &mut Context])`.
fn call(machine: &Machine<'_>, path: &Path, first: &TokenStream, arg: &TokenStream) -> TokenStream {
    let event = machine.event;
    let param = context_param(machine, false);
    let context = context_arg(machine, quote!(&mut *context));
    let call = call_user(
        path,
        quote!(fn(#first, &#event #(, #param)*)),
        &quote!(#arg, event #(, #context)*),
        false,
    );
    quote!(#call;)
}
