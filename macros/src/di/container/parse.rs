//! `#[derive(Container)]`: each `#[provide(Service, lifetime)]` field and its implementation.

use syn::{DeriveInput, GenericArgument, Ident, Path, PathArguments, Token, Type};

use crate::attr::{Attr, Key, Reader, is_helper, key};
use crate::derive_input::named_fields;
use crate::errors::Errors;
use crate::symbol::{CONTAINER, CRATE, PROVIDE, SINGLETON, TRANSIENT};

const KEYS: &[Key] = &[key(CRATE, "crate = path")];

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Life {
    Singleton,
    Transient,
}

pub(super) struct ProvideField<'a> {
    pub(super) ident: &'a Ident,
    pub(super) service: Type,
    pub(super) implementation: &'a Type,
    pub(super) life: Life,
    pub(super) field_ty: &'a Type,
}

pub(super) struct ContainerInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) providers: Vec<ProvideField<'a>>,
    pub(super) krate: Option<Path>,
}

pub(super) fn parse_container<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<ContainerInput<'a>> {
    let fields = named_fields(
        input,
        "Container",
        "a container is a struct with a named field per service, as \
         `#[provide(dyn Logger, singleton)] logger: Once<ConsoleLogger>`",
        errors,
    )?;
    if !input.generics.params.is_empty() {
        errors.spanned(
            &input.generics,
            "a container cannot be generic: it provides exact types",
        );
        return None;
    }
    let krate = read_krate(input, errors);
    let mut providers = Vec::new();
    for field in fields {
        let Some(ident) = field.ident.as_ref() else {
            continue;
        };
        for attr in field
            .attrs
            .iter()
            .filter(|a| is_helper(a, PROVIDE, &[PROVIDE]))
        {
            if let Some(provider) = parse_provide(attr, field, ident, errors) {
                providers.push(provider);
            }
        }
    }
    Some(ContainerInput {
        input,
        providers,
        krate,
    })
}

fn parse_provide<'a>(
    attr: &syn::Attribute,
    field: &'a syn::Field,
    ident: &'a Ident,
    errors: &mut Errors,
) -> Option<ProvideField<'a>> {
    let parsed = attr.parse_args_with(|input: syn::parse::ParseStream<'_>| {
        let service: Type = input.parse()?;
        let life = if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            let word: Ident = input.parse()?;
            if word == SINGLETON {
                Some((Life::Singleton, word))
            } else if word == TRANSIENT {
                Some((Life::Transient, word))
            } else {
                return Err(syn::Error::new_spanned(
                    word,
                    "expected `singleton` or `transient`",
                ));
            }
        } else {
            None
        };
        Ok((service, life))
    });
    let (service, life) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let Some((wrapper, implementation)) = wrapped(&field.ty) else {
        errors.spanned(
            &field.ty,
            "a provider field holds its implementation as `Once<Implementation>` (a singleton) or \
             `Each<Implementation>` (transient)",
        );
        return None;
    };
    let field_life = if wrapper == "Once" {
        Life::Singleton
    } else {
        Life::Transient
    };
    if let Some((declared, word)) = life {
        if declared != field_life {
            errors.spanned(
                word,
                format!(
                    "the field is `{wrapper}<..>`, which is {}; make the two agree",
                    if field_life == Life::Singleton {
                        "a singleton"
                    } else {
                        "transient"
                    }
                ),
            );
        }
    }
    Some(ProvideField {
        ident,
        service,
        implementation,
        life: field_life,
        field_ty: &field.ty,
    })
}

/// `Once<T>` or `Each<T>`: the wrapper's name and `T`.
fn wrapped(ty: &Type) -> Option<(String, &Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let name = last.ident.to_string();
    if name != "Once" && name != "Each" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some((name, inner)),
        _ => None,
    }
}

/// `#[container(crate = path)]`.
pub(super) fn read_krate(input: &DeriveInput, errors: &mut Errors) -> Option<Path> {
    let mut krate = Attr::default();
    let reader = Reader {
        attr: CONTAINER,
        place: None,
        keys: KEYS,
        hint: None,
    };
    reader.read_attrs(&input.attrs, errors, |opt, errors| {
        krate.set(&opt.key, opt.value("path::to::patternkit")?, errors);
        Ok(())
    });
    krate.get()
}
