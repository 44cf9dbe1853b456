//! `#[derive(Bus)]`: the fields and what each handles, subscribes to, or carries.

use syn::punctuated::Punctuated;
use syn::{Data, DeriveInput, Field, Fields, Ident, Path, Token, Type};

use crate::errors::Errors;
use crate::symbol::{CRATE, HANDLES, MIDDLEWARE, PUBLISHES, SUBSCRIBES};

pub(super) struct BusField<'a> {
    pub(super) field: &'a Field,
    pub(super) ident: &'a Ident,
    pub(super) handles: Vec<Type>,
    pub(super) subscribes: Vec<Type>,
    pub(super) middleware: Option<&'a syn::Attribute>,
}

pub(super) struct BusInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) fields: Vec<BusField<'a>>,
    pub(super) publishes: Vec<Type>,
    pub(super) krate: Option<Path>,
}

fn types(attr: &syn::Attribute, errors: &mut Errors) -> Vec<Type> {
    match attr.parse_args_with(Punctuated::<Type, Token![,]>::parse_terminated) {
        Ok(list) if !list.is_empty() => list.into_iter().collect(),
        Ok(_) => {
            errors.spanned(
                attr,
                "name the message types: `#[handles(CreateUser, RenameUser)]`",
            );
            Vec::new()
        }
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    }
}

pub(super) fn parse_bus<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<BusInput<'a>> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => &fields.named,
            _ => {
                errors.spanned(
                    &data.fields,
                    "a bus has named fields, one per handler: `struct AppBus { #[handles(CreateUser)] users: UserService }`",
                );
                return None;
            }
        },
        Data::Enum(data) => {
            errors.spanned(
                data.enum_token,
                "`#[derive(Bus)]` goes on a struct whose fields are handlers, not on an enum",
            );
            return None;
        }
        Data::Union(data) => {
            errors.spanned(
                data.union_token,
                "`#[derive(Bus)]` goes on a struct whose fields are handlers, not on a union",
            );
            return None;
        }
    };
    let mut publishes = Vec::new();
    let mut krate = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("bus")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(PUBLISHES) {
                let content;
                syn::parenthesized!(content in meta.input);
                publishes.extend(Punctuated::<Type, Token![,]>::parse_terminated(&content)?);
                Ok(())
            } else if meta.path.is_ident(CRATE) {
                krate = Some(meta.value()?.parse::<Path>()?);
                Ok(())
            } else {
                Err(meta.error(
                    "unknown `#[bus]` option; expected `publishes(Event, ...)` or `crate = path`",
                ))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let fields = fields
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let mut bus_field = BusField {
                field,
                ident,
                handles: Vec::new(),
                subscribes: Vec::new(),
                middleware: None,
            };
            for attr in &field.attrs {
                if attr.path().is_ident(HANDLES) {
                    bus_field.handles.extend(types(attr, errors));
                } else if attr.path().is_ident(SUBSCRIBES) {
                    bus_field.subscribes.extend(types(attr, errors));
                } else if attr.path().is_ident(MIDDLEWARE) {
                    if !matches!(attr.meta, syn::Meta::Path(_)) {
                        errors.spanned(
                            attr,
                            "`#[middleware]` takes no arguments; the field is a `Pipeline`",
                        );
                    }
                    bus_field.middleware = Some(attr);
                }
            }
            Some(bus_field)
        })
        .collect();
    Some(BusInput {
        input,
        fields,
        publishes,
        krate,
    })
}
