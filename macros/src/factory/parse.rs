//! `#[factory(...)]` on the enum, its variants and their fields, as written.

use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Expr, Field, Ident, LitStr, Path, Token, Type, Variant};

use super::case::{RenameStyle, STYLES};
use crate::enum_input::enum_data;
use crate::errors::Errors;
use crate::options::value;
use crate::symbol::{
    ALIAS, CRATE, KIND, KIND_DERIVE, NAME, OTHER, PRODUCT, RENAME_ALL, SKIP, WITH,
};

/// An option's value with the key it was given under, to point at both.
pub(super) struct Given<T> {
    pub(super) key: Ident,
    pub(super) value: T,
}

#[derive(Default)]
pub(super) struct EnumOptions {
    pub(super) kind: Option<Given<Ident>>,
    pub(super) kind_derive: Vec<Path>,
    pub(super) rename_all: Option<Given<RenameStyle>>,
    pub(super) product: Option<Given<Type>>,
    pub(super) krate: Option<Given<Path>>,
}

#[derive(Default)]
pub(super) struct VariantOptions {
    pub(super) name: Option<Given<LitStr>>,
    pub(super) aliases: Vec<LitStr>,
    pub(super) skip: Option<Ident>,
    pub(super) with: Option<Given<Expr>>,
    pub(super) other: Option<Ident>,
}

pub(super) struct FieldInput<'a> {
    pub(super) field: &'a Field,
    pub(super) with: Option<Given<Expr>>,
}

pub(super) struct VariantInput<'a> {
    pub(super) variant: &'a Variant,
    pub(super) options: VariantOptions,
    pub(super) fields: Vec<FieldInput<'a>>,
}

pub(super) struct FactoryInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) options: EnumOptions,
    pub(super) variants: Vec<VariantInput<'a>>,
}

/// The enum and every `#[factory]` attribute in it, or `None` for a struct or union.
pub(super) fn parse_factory<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<FactoryInput<'a>> {
    let data = enum_data(
        input,
        "Factory",
        "it creates the variants of an enum; list the products as variants of an enum, one per kind",
        errors,
    )?;
    let options = parse_enum_options(&input.attrs, errors);
    let variants = data
        .variants
        .iter()
        .map(|variant| VariantInput {
            variant,
            options: parse_variant_options(&variant.attrs, errors),
            fields: variant
                .fields
                .iter()
                .map(|field| FieldInput {
                    field,
                    with: parse_field_options(&field.attrs, errors),
                })
                .collect(),
        })
        .collect();
    Some(FactoryInput {
        input,
        options,
        variants,
    })
}

fn factory_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("factory"))
}

/// Runs `each` on every option of every `#[factory(...)]`; a malformed attribute is reported
/// and the next one is still read.
fn for_each_option(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut each: impl FnMut(&ParseNestedMeta<'_>, &Ident, &mut Errors) -> syn::Result<()>,
) {
    for attr in factory_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error("expected an option name such as `name = \"...\"`"));
            };
            each(&meta, &key, errors)
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
}

fn set_once<T>(slot: &mut Option<Given<T>>, key: &Ident, value: T, errors: &mut Errors) {
    match slot {
        Some(first) => errors.duplicate(&first.key, key, &format!("`{key}`")),
        None => {
            *slot = Some(Given {
                key: key.clone(),
                value,
            });
        }
    }
}

fn flag(
    slot: &mut Option<Ident>,
    meta: &ParseNestedMeta<'_>,
    key: &Ident,
    errors: &mut Errors,
) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        return Err(syn::Error::new_spanned(
            key,
            format!("`{key}` takes no value: write `#[factory({key})]`"),
        ));
    }
    match slot {
        Some(first) => errors.duplicate(&*first, key, &format!("`{key}`")),
        None => *slot = Some(key.clone()),
    }
    Ok(())
}

fn unknown(key: &Ident, place: &str, expected: &str) -> syn::Error {
    syn::Error::new_spanned(
        key,
        format!("unknown `#[factory]` option `{key}` on {place}; expected {expected}"),
    )
}

fn parse_enum_options(attrs: &[Attribute], errors: &mut Errors) -> EnumOptions {
    let mut options = EnumOptions::default();
    for_each_option(attrs, errors, |meta, key, errors| {
        if key == KIND {
            set_once(
                &mut options.kind,
                key,
                value(meta, &key.to_string(), "ChannelKind")?,
                errors,
            );
        } else if key == KIND_DERIVE {
            let content;
            syn::parenthesized!(content in meta.input);
            let paths = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
            options.kind_derive.extend(paths);
        } else if key == RENAME_ALL {
            let lit: LitStr = value(meta, &key.to_string(), "\"kebab-case\"")?;
            match RenameStyle::from_name(&lit.value()) {
                Some(style) => set_once(&mut options.rename_all, key, style, errors),
                None => errors.spanned(
                    &lit,
                    format!(
                        "unknown `rename_all` style {:?}; expected one of {STYLES}",
                        lit.value()
                    ),
                ),
            }
        } else if key == PRODUCT {
            set_once(
                &mut options.product,
                key,
                value(meta, &key.to_string(), "dyn Trait")?,
                errors,
            );
        } else if key == CRATE {
            set_once(
                &mut options.krate,
                key,
                value(meta, &key.to_string(), "path::to::patternkit")?,
                errors,
            );
        } else {
            return Err(unknown(
                key,
                "the enum",
                "`kind = Name`, `kind_derive(...)`, `rename_all = \"...\"`, `product = dyn Trait` \
                 or `crate = path`",
            ));
        }
        Ok(())
    });
    options
}

fn parse_variant_options(attrs: &[Attribute], errors: &mut Errors) -> VariantOptions {
    let mut options = VariantOptions::default();
    for_each_option(attrs, errors, |meta, key, errors| {
        if key == NAME {
            set_once(
                &mut options.name,
                key,
                value(meta, &key.to_string(), "\"name\"")?,
                errors,
            );
        } else if key == ALIAS {
            options
                .aliases
                .push(value(meta, &key.to_string(), "\"other-name\"")?);
        } else if key == SKIP {
            flag(&mut options.skip, meta, key, errors)?;
        } else if key == OTHER {
            flag(&mut options.other, meta, key, errors)?;
        } else if key == WITH {
            set_once(
                &mut options.with,
                key,
                value(meta, &key.to_string(), "path::to::constructor")?,
                errors,
            );
        } else {
            return Err(unknown(
                key,
                "a variant",
                "`name = \"...\"`, `alias = \"...\"`, `skip`, `with = path` or `other`",
            ));
        }
        Ok(())
    });
    options
}

fn parse_field_options(attrs: &[Attribute], errors: &mut Errors) -> Option<Given<Expr>> {
    let mut with = None;
    for_each_option(attrs, errors, |meta, key, errors| {
        if key == WITH {
            set_once(
                &mut with,
                key,
                value(meta, &key.to_string(), "path::to::constructor")?,
                errors,
            );
            Ok(())
        } else {
            Err(unknown(key, "a field", "`with = path`"))
        }
    });
    with
}
