//! `#[derive(Inject)]`: the struct's fields and how each is obtained.

use syn::{DeriveInput, Fields, GenericArgument, Member, Path, PathArguments, Type};

use crate::expr::Expr;

use crate::attr::{Attr, BoolAttr, Key, Reader, key};
use crate::derive_input::struct_fields;
use crate::errors::Errors;
use crate::symbol::{CONSTRUCTOR, CRATE, DEFAULT, INJECT, NO_CONSTRUCTOR, PARAM, WITH};

const STRUCT_KEYS: &[Key] = &[
    key(CONSTRUCTOR, "constructor = name"),
    key(NO_CONSTRUCTOR, "no_constructor"),
    key(CRATE, "crate = path"),
];
const FIELD_KEYS: &[Key] = &[
    key(DEFAULT, "default"),
    key(WITH, "with = path"),
    key(PARAM, "param"),
];

/// How one field gets its value.
pub(super) enum Source<'a> {
    /// `Arc<T>`: the service bound for `T` (often `dyn Trait`).
    Shared(&'a Type),
    /// `&'static T`: a `#[singleton]`'s instance.
    Singleton(&'a Type),
    /// A plain `T: Inject`, built from its own dependencies.
    Owned(&'a Type),
    /// `Vec<Arc<T>>`: every implementation added for `T`.
    All(&'a Type),
    /// `#[inject(param)]`: a value given to the container.
    Param,
    /// `#[inject(default)]`.
    Default,
    /// `#[inject(with = path)]`.
    With(Expr),
    /// A field whose `#[inject(..)]` has a mistake, already reported: built by nothing, so
    /// that the mistake is not reported again as a type that cannot be injected.
    Unread,
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
    /// The name of the constructor taking the dependencies by hand (`new`), or `None` for
    /// no constructor.
    pub(super) constructor: Option<syn::Ident>,
    /// The derive is on an enum or union (an error says so): only impls that never run.
    pub(super) not_a_struct: bool,
}

pub(super) fn parse_inject<'a>(input: &'a DeriveInput, errors: &mut Errors) -> InjectInput<'a> {
    let fields = struct_fields(
        input,
        "Inject",
        "it builds a struct from its dependencies; inject a struct that holds the value",
        errors,
    );
    let mut scratch = Errors::default();
    // On an enum or union only the crate's path is read, without a word: the one error is
    // the item.
    let errors = if fields.is_some() {
        errors
    } else {
        &mut scratch
    };
    let mut krate = Attr::default();
    let mut constructor = Attr::default();
    let mut no_constructor = BoolAttr::default();
    let reader = Reader {
        attr: INJECT,
        place: Some("the struct"),
        keys: STRUCT_KEYS,
        hint: None,
    };
    reader.read_attrs(&input.attrs, errors, |opt, errors| {
        if opt.key == CONSTRUCTOR {
            constructor.set(
                &opt.key,
                opt.value::<syn::Ident>("with_dependencies")?,
                errors,
            );
        } else if opt.key == NO_CONSTRUCTOR {
            opt.flag()?;
            no_constructor.set_true(&opt.key, errors);
        } else {
            krate.set(&opt.key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    let krate = krate.get();
    let Some(fields) = fields else {
        return InjectInput {
            input,
            fields: Vec::new(),
            named: true,
            krate,
            constructor: None,
            not_a_struct: true,
        };
    };
    let constructor = match (constructor.given(), no_constructor.key()) {
        (Some(named), Some(off)) => {
            errors.spanned(
                &off,
                "`no_constructor` and `constructor` contradict each other; keep one",
            );
            errors.spanned(&named.key, "`constructor` is given here");
            None
        }
        (Some(named), None) => Some(named.value),
        (None, Some(_)) => None,
        (None, None) => Some(syn::Ident::new("new", input.ident.span())),
    };
    let parsed = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let member = field
                .ident
                .clone()
                .map_or_else(|| Member::Unnamed(index.into()), Member::Named);
            let source = parse_field_source(&field.attrs, errors);
            let source = source.unwrap_or_else(|| classify(&field.ty));
            InjectField {
                member,
                ty: &field.ty,
                source,
            }
        })
        .collect();
    InjectInput {
        input,
        fields: parsed,
        named: matches!(fields, Fields::Named(_)),
        krate,
        constructor,
        not_a_struct: false,
    }
}

/// What `#[inject(..)]` on a field says; `None` when it says nothing.
fn parse_field_source<'a>(attrs: &[syn::Attribute], errors: &mut Errors) -> Option<Source<'a>> {
    let before = errors.count();
    let mut default = BoolAttr::default();
    let mut param = BoolAttr::default();
    let mut with = Attr::default();
    let reader = Reader {
        attr: INJECT,
        place: Some("a field"),
        keys: FIELD_KEYS,
        hint: None,
    };
    reader.read_attrs(attrs, errors, |opt, errors| {
        if opt.key == DEFAULT {
            opt.flag()?;
            default.set_true(&opt.key, errors);
        } else if opt.key == PARAM {
            opt.flag()?;
            param.set_true(&opt.key, errors);
        } else {
            with.set(&opt.key, opt.value("path::to::constructor")?, errors);
        }
        Ok(())
    });
    let with = with.given();
    let default = default.key();
    let param = param.key();
    let mut given: Vec<(&str, &syn::Ident)> = Vec::new();
    if let Some(key) = &default {
        given.push(("default", key));
    }
    if let Some(with) = &with {
        given.push(("with", &with.key));
    }
    if let Some(key) = &param {
        given.push(("param", key));
    }
    if let [(first, first_key), (second, second_key), ..] = given.as_slice() {
        errors.spanned(
            second_key,
            format!("`{first}` and `{second}` both say how to build this field; keep one"),
        );
        errors.spanned(first_key, format!("`{first}` is given here"));
    }
    if errors.count() > before {
        return Some(Source::Unread);
    }
    if default.is_some() {
        Some(Source::Default)
    } else if param.is_some() {
        Some(Source::Param)
    } else {
        with.map(|with| Source::With(with.value))
    }
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
                PathArguments::AngleBracketed(args)
                    if last.ident == "Vec" && args.args.len() == 1 =>
                {
                    match args.args.first().map(classify_arg) {
                        Some(Source::Shared(inner)) => Source::All(inner),
                        _ => Source::Owned(ty),
                    }
                }
                _ => Source::Owned(ty),
            }
        }
        _ => Source::Owned(ty),
    }
}

fn classify_arg(arg: &GenericArgument) -> Source<'_> {
    match arg {
        GenericArgument::Type(ty) => classify(ty),
        _ => Source::Unread,
    }
}
