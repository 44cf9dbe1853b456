//! `impl MachineTable` and `impl StateMachine` for the machine: the trait's functions call
//! the inherent ones (or are the trait's defaults where those do the same), passing the
//! context on only when the table names one. A machine whose event or context borrows (`'_`)
//! gets only `MachineTable`: associated types cannot borrow; so does an async machine, whose
//! `fire` is an `async fn`.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Machine;
use super::tokens::context_type;

/// `starts` is whether the machine's `start` runs hooks; without, the trait's default (nothing)
/// stands for it, as its default `state_name` (the entry in `STATES`) stands for the inherent
/// one: every function left out is one the compiler does not check for each machine.
pub(super) fn expand_trait_impl(
    machine: &Machine<'_>,
    private: &TokenStream,
    starts: bool,
) -> TokenStream {
    let (next_call, fire_call, start_call) = if machine.context.is_some() {
        (
            quote!(Self::next(self, event, context)),
            quote!(Self::fire(self, event, context)),
            quote!(Self::start(self, context)),
        )
    } else {
        (
            quote!({
                let _ = context;
                Self::next(self, event)
            }),
            quote!({
                let _ = context;
                Self::fire(self, event)
            }),
            quote!({
                let _ = context;
                Self::start(self);
            }),
        )
    };
    let ident = machine.ident;
    let (impl_generics, ty_generics, where_clause) = machine.generics.split_for_impl();
    let event = machine.event;
    let context = context_type(machine);
    let fire_error = machine.fire_error(private);
    // Without superstates, the trait's default (the state's name) answers.
    let is_in = (!machine.superstates.is_empty()).then(|| {
        quote! {
            fn is_in(&self, name: &::core::primitive::str) -> ::core::primitive::bool {
                Self::is_in(self, name)
            }
        }
    });
    let defers = machine.defers_any().then(|| {
        quote! {
            fn defers(&self, event: &#event) -> ::core::primitive::bool {
                Self::defers(self, event)
            }
        }
    });
    let start = starts.then(|| {
        quote! {
            fn start(&mut self, context: &mut #context) {
                #start_call
            }
        }
    });
    let table = expand_table_impls(machine, private);

    if machine.borrows() || machine.is_async() {
        return table;
    }
    quote! {
    #table

    #[automatically_derived]
    impl #impl_generics #private::StateMachine for #ident #ty_generics #where_clause {
        type Event = #event;
        type Context = #context;
        type Error = #fire_error;

        fn initial() -> Self {
            Self::initial()
        }

        #start

        fn state_index(&self) -> ::core::primitive::usize {
            Self::state_index(self)
        }

        #is_in

        #defers

        fn next(&self, event: &#event, context: &#context) -> ::core::option::Option<&'static #private::TransitionInfo> {
            #next_call
        }

        #[inline]
        fn fire(&mut self, event: &#event, context: &mut #context) -> ::core::result::Result<#private::Fired<Self>, Self::Error> {
            #fire_call
        }
    }
    }
}

/// `impl MachineTable` (with the rows a history adds) and, with `output = T`,
/// `impl MachineOutput`.
fn expand_table_impls(machine: &Machine<'_>, private: &TokenStream) -> TokenStream {
    let ident = machine.ident;
    let (impl_generics, ty_generics, where_clause) = machine.generics.split_for_impl();
    let history = machine.has_history().then(|| {
        quote! {
            const HISTORY_TRANSITIONS: &'static [#private::TransitionInfo] =
                Self::HISTORY_TRANSITIONS;
            const HISTORY_ROWS: &'static [::core::primitive::u16] = Self::HISTORY_ROWS;
        }
    });
    let table = quote! {
        #[automatically_derived]
        impl #impl_generics #private::MachineTable for #ident #ty_generics #where_clause {
            const NAME: &'static ::core::primitive::str = Self::NAME;
            const STATES: &'static [&'static ::core::primitive::str] = Self::STATES;
            const EVENTS: &'static [&'static ::core::primitive::str] = Self::EVENTS;
            const TRANSITIONS: &'static [#private::TransitionInfo] = Self::TRANSITIONS;
            #history
        }
    };
    let output = machine.output.map(|output| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::MachineOutput for #ident #ty_generics #where_clause {
                type Output = #output;
                const OUTPUTS: &'static [::core::option::Option<#output>] = Self::OUTPUTS;
            }
        }
    });
    quote!(#table #output)
}
