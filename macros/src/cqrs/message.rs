//! `#[derive(Command)]`, `#[derive(Query)]`, `#[derive(Event)]`: the message traits with the
//! declared output and error types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::meta::ParseNestedMeta;
use syn::{DeriveInput, Path, Type};

use crate::enum_input::try_expand_derive;
use crate::errors::Errors;
use crate::krate::CratePath;
use crate::options::value;
use crate::symbol::{CRATE, ERROR, OUTPUT, VALIDATE};

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Command,
    Query,
    Event,
}

impl Kind {
    fn attr(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Query => "query",
            Kind::Event => "event",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Command => "Command",
            Kind::Query => "Query",
            Kind::Event => "Event",
        }
    }
}

#[derive(Default)]
struct MessageOptions {
    output: Option<Type>,
    error: Option<Type>,
    validate: bool,
    krate: Option<Path>,
}

pub(crate) fn expand(input: TokenStream, kind: Kind) -> TokenStream {
    try_expand(input, kind).unwrap_or_else(syn::Error::into_compile_error)
}

pub(crate) fn try_expand(input: TokenStream, kind: Kind) -> syn::Result<TokenStream> {
    try_expand_derive(input, |input, errors| {
        let options = parse_options(input, kind, errors);
        expand_message(input, kind, &options)
    })
}

fn parse_options(input: &DeriveInput, kind: Kind, errors: &mut Errors) -> MessageOptions {
    let mut options = MessageOptions::default();
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident(kind.attr()))
    {
        let result = attr.parse_nested_meta(|meta| parse_option(&meta, kind, &mut options, errors));
        if let Err(error) = result {
            errors.push(error);
        }
    }
    options
}

fn parse_option(
    meta: &ParseNestedMeta<'_>,
    kind: Kind,
    options: &mut MessageOptions,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    let takes_types = kind != Kind::Event;
    match key.as_str() {
        OUTPUT if takes_types => {
            let ty: Type = value(meta, &key, "OutputType")?;
            if options.output.replace(ty).is_some() {
                errors.push(meta.error("`output` is given more than once; keep one"));
            }
        }
        ERROR if takes_types => {
            let ty: Type = value(meta, &key, "ErrorType")?;
            if options.error.replace(ty).is_some() {
                errors.push(meta.error("`error` is given more than once; keep one"));
            }
        }
        VALIDATE => options.validate = true,
        CRATE => options.krate = Some(value(meta, &key, "path::to::patternkit")?),
        _ => {
            let expected = if takes_types {
                "`output = Type`, `error = Type`, `validate` or `crate = path`"
            } else {
                "`validate` or `crate = path` (an event has no output or error)"
            };
            return Err(meta.error(format!(
                "unknown `#[{}]` option; expected {expected}",
                kind.attr()
            )));
        }
    }
    Ok(())
}

fn expand_message(input: &DeriveInput, kind: Kind, options: &MessageOptions) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let krate = CratePath::new(options.krate.as_ref());
    let private = krate.private(ident.span());
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let family = format_ident!("{}Family", kind.name());
    let kind_variant = format_ident!("{}", kind.name());
    let trait_ident = format_ident!("{}", kind.name());
    let validate = options.validate.then(|| {
        quote! {
            fn validate(&self) -> ::core::result::Result<(), #private::cqrs::ValidationError> {
                <Self as #private::cqrs::Validate>::validate(self)
            }
        }
    });
    let body = match kind {
        Kind::Event => TokenStream::new(),
        Kind::Command | Kind::Query => {
            let output = options
                .output
                .as_ref()
                .map_or_else(|| quote!(()), |t| quote!(#t));
            let error = options
                .error
                .as_ref()
                .map_or_else(|| quote!(::core::convert::Infallible), |t| quote!(#t));
            quote! {
                type Output = #output;
                type Error = #error;
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::cqrs::Message for #ident #ty_generics #where_clause {
            type Family = #private::cqrs::#family;
            const NAME: &'static str = #name;
            const KIND: #private::cqrs::MessageKind = #private::cqrs::MessageKind::#kind_variant;
            #validate
        }

        #[automatically_derived]
        impl #impl_generics #private::cqrs::#trait_ident for #ident #ty_generics #where_clause {
            #body
        }
    }
}
