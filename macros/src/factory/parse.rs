//! `#[factory(...)]` on the enum, its variants and their fields, as written.

use syn::{Attribute, DeriveInput, Field, Ident, LitStr, Path, Type, Variant};

use crate::expr::Expr;

use super::case::{RenameStyle, STYLES};
use crate::attr::{Attr, BoolAttr, Given, Key, Reader, key};
use crate::derive_input::enum_data;
use crate::errors::Errors;
use crate::symbol::{
    ALIAS, ARGS, CASE_SENSITIVE, CRATE, DISPLAY, ERROR, FACTORY, FORMAT, KIND, KIND_DERIVE,
    KIND_ONLY, NAME, OTHER, PRODUCT, RENAME_ALL, SKIP, WITH,
};

/// What `kind = ..` names: another enum to generate, or the enum itself.
pub(super) enum KindName {
    Named(Ident),
    /// `kind = Self`: a fieldless enum is its own kind.
    Itself,
}

#[derive(Default)]
pub(super) struct EnumOptions {
    pub(super) kind: Option<Given<KindName>>,
    pub(super) kind_derive: Vec<Path>,
    pub(super) rename_all: Option<Given<RenameStyle>>,
    pub(super) product: Option<Given<Type>>,
    pub(super) krate: Option<Given<Path>>,
    pub(super) case_sensitive: Option<Ident>,
    pub(super) error: Option<Given<Type>>,
    pub(super) display: Option<Ident>,
    pub(super) kind_only: Option<Ident>,
    pub(super) args: Option<Given<Type>>,
}

#[derive(Default)]
pub(super) struct VariantOptions {
    pub(super) name: Option<Given<LitStr>>,
    pub(super) aliases: Vec<LitStr>,
    pub(super) skip: Option<Ident>,
    pub(super) with: Option<Given<Expr>>,
    pub(super) other: Option<Ident>,
    pub(super) format: Option<Given<LitStr>>,
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
    /// The derive is on a struct or union (an error says so).
    pub(super) not_an_enum: bool,
}

/// The enum and every `#[factory]` attribute in it.
pub(super) fn parse_factory<'a>(input: &'a DeriveInput, errors: &mut Errors) -> FactoryInput<'a> {
    let Some(data) = enum_data(
        input,
        "Factory",
        "it creates the variants of an enum; list the products as variants of an enum, one per \
         kind",
        errors,
    ) else {
        // A struct or union is expanded as an enum without variants would be, so that the
        // code using it adds no errors; its options are read, not checked, until it is one.
        return FactoryInput {
            input,
            options: parse_enum_options(&input.attrs, &mut Errors::default()),
            variants: Vec::new(),
            not_an_enum: true,
        };
    };
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
    FactoryInput {
        input,
        options,
        variants,
        not_an_enum: false,
    }
}

const ENUM_KEYS: &[Key] = &[
    key(KIND, "kind = Name | Self"),
    key(KIND_DERIVE, "kind_derive(..)"),
    key(RENAME_ALL, "rename_all = \"..\""),
    key(CASE_SENSITIVE, "case_sensitive"),
    key(ERROR, "error = Type"),
    key(DISPLAY, "display"),
    key(KIND_ONLY, "kind_only"),
    key(ARGS, "args = Type"),
    key(PRODUCT, "product = dyn Trait"),
    key(CRATE, "crate = path"),
];

const VARIANT_KEYS: &[Key] = &[
    key(NAME, "name = \"..\""),
    key(ALIAS, "alias = \"..\""),
    key(SKIP, "skip"),
    key(WITH, "with = path"),
    key(OTHER, "other"),
    key(FORMAT, "format = \"..\""),
];

const FIELD_KEYS: &[Key] = &[key(WITH, "with = path")];

fn reader(place: &'static str, keys: &'static [Key]) -> Reader<'static> {
    Reader {
        attr: FACTORY,
        place: Some(place),
        keys,
        hint: None,
    }
}

fn parse_enum_options(attrs: &[Attribute], errors: &mut Errors) -> EnumOptions {
    let mut kind = Attr::default();
    let mut kind_derive = Vec::new();
    let mut rename_all = Attr::default();
    let mut product = Attr::default();
    let mut krate = Attr::default();
    let mut case_sensitive = BoolAttr::default();
    let mut error = Attr::default();
    let mut display = BoolAttr::default();
    let mut kind_only = BoolAttr::default();
    let mut args = Attr::default();
    reader("the enum", ENUM_KEYS).read_attrs(attrs, errors, |opt, errors| {
        let key = &opt.key;
        if key == KIND {
            let path: Path = opt.value("ChannelKind")?;
            let name = if path.is_ident("Self") {
                KindName::Itself
            } else if let Some(ident) = path.get_ident() {
                KindName::Named(ident.clone())
            } else {
                return Err(syn::Error::new_spanned(
                    &path,
                    "`kind` names the enum to generate, a single identifier such as \
                     `kind = ChannelKind`, or `kind = Self` for a fieldless enum that is its own \
                     kind",
                ));
            };
            kind.set(key, name, errors);
        } else if key == KIND_DERIVE {
            kind_derive.extend(opt.list::<Path>("Hash, Ord")?);
        } else if key == RENAME_ALL {
            let lit: LitStr = opt.value("\"kebab-case\"")?;
            match RenameStyle::from_name(&lit.value()) {
                Some(style) => rename_all.set(key, style, errors),
                None => {
                    let hint = RenameStyle::near(&lit.value())
                        .map(|style| format!("; did you mean {style:?}?"))
                        .unwrap_or_default();
                    errors.spanned(
                        &lit,
                        format!(
                            "unknown `rename_all` style {:?}; expected one of {STYLES}{hint}",
                            lit.value()
                        ),
                    );
                }
            }
        } else if key == CASE_SENSITIVE {
            opt.flag()?;
            case_sensitive.set_true(key, errors);
        } else if key == ERROR {
            error.set(key, opt.value("ParseError")?, errors);
        } else if key == DISPLAY {
            opt.flag()?;
            display.set_true(key, errors);
        } else if key == KIND_ONLY {
            opt.flag()?;
            kind_only.set_true(key, errors);
        } else if key == ARGS {
            args.set(key, opt.value("Settings")?, errors);
        } else if key == PRODUCT {
            product.set(key, opt.value("dyn Trait")?, errors);
        } else {
            krate.set(key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    EnumOptions {
        kind: kind.given(),
        kind_derive,
        rename_all: rename_all.given(),
        product: product.given(),
        krate: krate.given(),
        case_sensitive: case_sensitive.key(),
        error: error.given(),
        display: display.key(),
        kind_only: kind_only.key(),
        args: args.given(),
    }
}

fn parse_variant_options(attrs: &[Attribute], errors: &mut Errors) -> VariantOptions {
    let mut name = Attr::default();
    let mut aliases = Vec::new();
    let mut skip = BoolAttr::default();
    let mut with = Attr::default();
    let mut other = BoolAttr::default();
    let mut format = Attr::default();
    reader("a variant", VARIANT_KEYS).read_attrs(attrs, errors, |opt, errors| {
        let key = &opt.key;
        if key == NAME {
            name.set(key, opt.value("\"name\"")?, errors);
        } else if key == ALIAS {
            aliases.push(opt.value("\"other-name\"")?);
        } else if key == SKIP {
            opt.flag()?;
            skip.set_true(key, errors);
        } else if key == OTHER {
            opt.flag()?;
            other.set_true(key, errors);
        } else if key == FORMAT {
            format.set(key, opt.value("\"{field} in a sentence\"")?, errors);
        } else {
            with.set(key, opt.value("path::to::constructor")?, errors);
        }
        Ok(())
    });
    VariantOptions {
        name: name.given(),
        aliases,
        skip: skip.key(),
        with: with.given(),
        other: other.key(),
        format: format.given(),
    }
}

fn parse_field_options(attrs: &[Attribute], errors: &mut Errors) -> Option<Given<Expr>> {
    let mut with = Attr::default();
    reader("a field", FIELD_KEYS).read_attrs(attrs, errors, |opt, errors| {
        with.set(&opt.key, opt.value("path::to::constructor")?, errors);
        Ok(())
    });
    with.given()
}
