//! `#[derive(Inject)]`: the struct's fields and how each is obtained.

use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Member, Path, PathArguments, Type};

use crate::errors::Errors;
use crate::options::value;
use crate::symbol::{CRATE, WITH};

/// How one field gets its value.
pub(super) enum Source<'a> {
    /// `Arc<T>`: the service bound for `T` (often `dyn Trait`).
    Shared(&'a Type),
    /// `&'static T`: a `#[singleton]`'s instance.
    Singleton(&'a Type),
    /// A plain `T: Inject`, built from its own dependencies.
    Owned(&'a Type),
    /// `#[inject(default)]`.
    Default,
    /// `#[inject(with = path)]`.
    With(Expr),
}

pub(super) struct InjectField<'a> {
    pub(super) member: Member,
    pub(super) ty: &'a Type,
    pub(super) source: Source<'a>,
}

pub(super) struct InjectInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) fields: Vec<InjectField<'a>>,
    pub(super) named: bool,
    pub(super) krate: Option<Path>,
}

pub(super) fn parse_inject<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<InjectInput<'a>> {
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            errors.spanned(
                data.enum_token,
                "`#[derive(Inject)]` builds a struct from its dependencies, so it cannot be used \
                 on an enum; inject a struct that holds the enum",
            );
            return None;
        }
        Data::Union(data) => {
            errors.spanned(
                data.union_token,
                "`#[derive(Inject)]` builds a struct from its dependencies, so it cannot be used on a union",
            );
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        errors.spanned(
            &input.generics,
            "an injected type cannot be generic: the container looks services up by their exact type",
        );
        return None;
    }
    let mut krate = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("inject")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(CRATE) {
                krate = Some(value(&meta, CRATE, "path::to::patternkit")?);
                Ok(())
            } else {
                Err(meta.error("unknown `#[inject]` option on the struct; expected `crate = path`"))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let parsed = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let member = field.ident.clone().map_or_else(|| Member::Unnamed(index.into()), Member::Named);
            let mut source = None;
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("inject")) {
                let result = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("default") {
                        source = Some(Source::Default);
                        Ok(())
                    } else if meta.path.is_ident(WITH) {
                        source = Some(Source::With(value(&meta, WITH, "path::to::constructor")?));
                        Ok(())
                    } else {
                        Err(meta.error(
                            "unknown `#[inject]` option on a field; expected `default` or `with = path`",
                        ))
                    }
                });
                if let Err(error) = result {
                    errors.push(error);
                }
            }
            let source = source.unwrap_or_else(|| classify(&field.ty));
            InjectField {
                member,
                ty: &field.ty,
                source,
            }
        })
        .collect();
    Some(InjectInput {
        input,
        fields: parsed,
        named: matches!(fields, Fields::Named(_)),
        krate,
    })
}

/// `Arc<T>` is shared, `&'static T` a singleton, anything else owned.
fn classify(ty: &Type) -> Source<'_> {
    match ty {
        Type::Reference(reference)
            if reference.mutability.is_none()
                && reference
                    .lifetime
                    .as_ref()
                    .is_some_and(|l| l.ident == "static") =>
        {
            Source::Singleton(&reference.elem)
        }
        Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return Source::Owned(ty);
            };
            match &last.arguments {
                PathArguments::AngleBracketed(args)
                    if last.ident == "Arc" && args.args.len() == 1 =>
                {
                    match args.args.first() {
                        Some(GenericArgument::Type(inner)) => Source::Shared(inner),
                        _ => Source::Owned(ty),
                    }
                }
                _ => Source::Owned(ty),
            }
        }
        _ => Source::Owned(ty),
    }
}
