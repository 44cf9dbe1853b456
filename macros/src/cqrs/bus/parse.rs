//! `#[derive(Bus)]`: the fields and what each handles, subscribes to, or carries.

use syn::punctuated::Punctuated;
use syn::{DeriveInput, Field, Ident, Path, Token, Type};

use crate::attr::{Attr, BoolAttr, Key, Reader, is_helper, key};
use crate::derive_input::named_fields;
use crate::errors::Errors;
use crate::symbol::{BEHAVIOR, BUS, CRATE, HANDLES, LOCAL, MIDDLEWARE, PUBLISHES, SUBSCRIBES};

const KEYS: &[Key] = &[
    key(PUBLISHES, "publishes(Event, ..)"),
    key(LOCAL, "local"),
    key(CRATE, "crate = path"),
];

pub(super) struct BusField<'a> {
    pub(super) field: &'a Field,
    pub(super) ident: &'a Ident,
    pub(super) handles: Vec<Type>,
    pub(super) subscribes: Vec<Type>,
    pub(super) middleware: Option<&'a syn::Attribute>,
    pub(super) behavior: Option<Wraps>,
}

/// What a `#[behavior]` field wraps.
pub(super) enum Wraps {
    /// Bare `#[behavior]`: every command and query of the bus.
    All,
    /// `#[behavior(A, B)]`: those.
    Only(Vec<Type>),
}

impl Wraps {
    pub(super) fn wraps(&self, message: &Type) -> bool {
        match self {
            Wraps::All => true,
            Wraps::Only(list) => names(list, message),
        }
    }
}

/// Whether `list` names `message`, compared as written.
pub(super) fn names(list: &[Type], message: &Type) -> bool {
    let key = quote::quote!(#message).to_string();
    list.iter().any(|ty| quote::quote!(#ty).to_string() == key)
}

pub(super) struct BusInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) fields: Vec<BusField<'a>>,
    pub(super) publishes: Vec<Type>,
    pub(super) krate: Option<Path>,
    /// `#[bus(local)]`: handlers whose futures need not be `Send`, for one thread.
    pub(super) local: Option<syn::Ident>,
    /// The derive is not on a struct with named fields (an error says so).
    pub(super) not_a_bus: bool,
}

/// The bus's field attributes.
const HELPERS: &[&str] = &[HANDLES, SUBSCRIBES, MIDDLEWARE, BEHAVIOR];

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

pub(super) fn parse_bus<'a>(input: &'a DeriveInput, errors: &mut Errors) -> BusInput<'a> {
    let fields = named_fields(
        input,
        "Bus",
        "a bus is a struct with a named field per handler, as \
         `struct AppBus { #[handles(CreateUser)] users: UserService }`",
        errors,
    );
    let Some(fields) = fields else {
        // What the fallback needs, read without a word: the one error is the item.
        let options = read_options(input, &mut Errors::default());
        return BusInput {
            input,
            fields: Vec::new(),
            publishes: Vec::new(),
            krate: options.krate,
            local: options.local,
            not_a_bus: true,
        };
    };
    let BusOptions {
        publishes,
        krate,
        local,
    } = read_options(input, errors);
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
                behavior: None,
            };
            for attr in &field.attrs {
                if is_helper(attr, HANDLES, HELPERS) {
                    bus_field.handles.extend(types(attr, errors));
                } else if is_helper(attr, SUBSCRIBES, HELPERS) {
                    bus_field.subscribes.extend(types(attr, errors));
                } else if is_helper(attr, MIDDLEWARE, HELPERS) {
                    if !matches!(attr.meta, syn::Meta::Path(_)) {
                        errors.spanned(
                            attr,
                            "`#[middleware]` takes no arguments; the field is a `Pipeline`",
                        );
                    }
                    bus_field.middleware = Some(attr);
                } else if is_helper(attr, BEHAVIOR, HELPERS) {
                    let wraps = match attr.meta {
                        syn::Meta::Path(_) => Wraps::All,
                        _ => Wraps::Only(types(attr, errors)),
                    };
                    if bus_field.behavior.is_some() {
                        errors.spanned(
                            attr,
                            "a field has one `#[behavior(..)]`: list every request it wraps \
                             in it",
                        );
                    }
                    bus_field.behavior = Some(wraps);
                }
            }
            Some(bus_field)
        })
        .collect();
    BusInput {
        input,
        fields,
        publishes,
        krate,
        local,
        not_a_bus: false,
    }
}

/// What `#[bus(..)]` says.
struct BusOptions {
    publishes: Vec<Type>,
    krate: Option<Path>,
    local: Option<syn::Ident>,
}

fn read_options(input: &DeriveInput, errors: &mut Errors) -> BusOptions {
    let mut publishes = Vec::new();
    let mut krate = Attr::default();
    let mut local = BoolAttr::default();
    let reader = Reader {
        attr: BUS,
        place: None,
        keys: KEYS,
        hint: None,
    };
    reader.read_attrs(&input.attrs, errors, |opt, errors| {
        if opt.key == PUBLISHES {
            publishes.extend(opt.list::<Type>("UserCreated, ..")?);
        } else if opt.key == LOCAL {
            opt.flag()?;
            local.set_true(&opt.key, errors);
        } else {
            krate.set(&opt.key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    BusOptions {
        publishes,
        krate: krate.get(),
        local: local.key(),
    }
}
