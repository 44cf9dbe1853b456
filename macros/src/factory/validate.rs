//! Rules across the enum: names unique after case folding, one payload per product, and the
//! options that must or must not go together.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident};
use syn::{Expr, Field, Fields, Generics, Ident, Path, Type, Visibility};

use super::case::RenameStyle;
use super::parse::{FactoryInput, VariantInput};
use crate::errors::Errors;
use crate::krate::CratePath;

pub(super) enum FieldBuild<'a> {
    Default,
    With(&'a Expr),
}

pub(super) struct FieldModel<'a> {
    pub(super) field: &'a Field,
    pub(super) build: FieldBuild<'a>,
}

pub(super) struct VariantModel<'a> {
    pub(super) ident: &'a Ident,
    pub(super) shape: &'a Fields,
    pub(super) fields: Vec<FieldModel<'a>>,
    pub(super) skip: bool,
    /// Receives every name that matches no other variant.
    pub(super) other: bool,
    /// The name first, then the aliases; matched ASCII case-insensitively.
    pub(super) names: Vec<String>,
}

pub(super) struct FactoryModel<'a> {
    pub(super) ident: &'a Ident,
    pub(super) vis: &'a Visibility,
    pub(super) generics: &'a Generics,
    pub(super) kind: Ident,
    pub(super) kind_derive: &'a [Path],
    pub(super) product: Option<&'a Type>,
    pub(super) krate: CratePath,
    pub(super) variants: Vec<VariantModel<'a>>,
}

impl FactoryModel<'_> {
    /// The variants that have a kind.
    pub(super) fn kinds(&self) -> impl Iterator<Item = &VariantModel<'_>> {
        self.variants.iter().filter(|v| !v.skip)
    }
}

pub(super) fn validate<'a>(input: &'a FactoryInput<'a>, errors: &mut Errors) -> FactoryModel<'a> {
    let derive = input.input;
    let options = &input.options;
    let rename = options.rename_all.as_ref().map(|given| given.value);
    let mut names = NameTable::default();
    let variants: Vec<VariantModel<'a>> = input
        .variants
        .iter()
        .map(|variant| validate_variant(variant, rename, &mut names, errors))
        .collect();

    if variants.is_empty() {
        errors.spanned(
            &derive.ident,
            format!(
                "`{}` has no variants, so its factory could create nothing; add a variant for \
                 each kind of product",
                derive.ident
            ),
        );
    } else if variants.iter().all(|v| v.skip) {
        errors.spanned(
            &derive.ident,
            format!(
                "every variant of `{}` is marked `#[factory(skip)]`, so its factory could \
                 create nothing; remove `skip` from the variants it should create",
                derive.ident
            ),
        );
    }
    let others: Vec<_> = input
        .variants
        .iter()
        .filter_map(|v| v.options.other.as_ref())
        .collect();
    if let [first, again, ..] = others.as_slice() {
        errors.spanned(
            again,
            "only one variant can be `#[factory(other)]`: unknown names go to one variant",
        );
        errors.spanned(first, "the first `#[factory(other)]` variant is here");
    }

    let product = options.product.as_ref().map(|given| &given.value);
    if let Some(product) = product {
        validate_product(product, input, errors);
    }
    let kind = options.kind.as_ref().map_or_else(
        || format_ident!("{}Kind", derive.ident),
        |given| given.value.clone(),
    );
    FactoryModel {
        ident: &derive.ident,
        vis: &derive.vis,
        generics: &derive.generics,
        kind,
        kind_derive: &options.kind_derive,
        product,
        krate: CratePath::new(options.krate.as_ref().map(|given| &given.value)),
        variants,
    }
}

fn validate_variant<'a>(
    input: &'a VariantInput<'a>,
    rename: Option<RenameStyle>,
    names: &mut NameTable,
    errors: &mut Errors,
) -> VariantModel<'a> {
    let variant = input.variant;
    let skip = input.options.skip.is_some();
    let other = input.options.other.is_some();
    validate_flags(input, errors);
    let fields = validate_fields(input, errors);
    let names = if skip {
        Vec::new()
    } else {
        validate_names(input, rename, names, errors)
    };
    VariantModel {
        ident: &variant.ident,
        shape: &variant.fields,
        fields,
        skip,
        other,
        names,
    }
}

/// `skip` and `other` with what they exclude.
fn validate_flags(input: &VariantInput<'_>, errors: &mut Errors) {
    let options = &input.options;
    if options.skip.is_some() {
        let name_key = options.name.as_ref().map(|g| g.key.to_token_stream());
        let alias = options.aliases.first().map(ToTokens::to_token_stream);
        if let Some(tokens) = name_key.or(alias) {
            errors.spanned(
                tokens,
                "a `#[factory(skip)]` variant has no name to look up; remove `name`/`alias` or \
                 `skip`",
            );
        }
        if let Some(other) = &options.other {
            errors.spanned(
                other,
                "`other` cannot be combined with `skip`: the variant would receive unknown \
                 names but have no kind",
            );
        }
    }
    if let Some(key) = &options.other {
        if input.variant.fields.len() != 1 {
            errors.spanned(
                key,
                format!(
                    "an `#[factory(other)]` variant keeps the unknown name it was given, so it \
                     holds exactly one field, such as `{}(String)`",
                    input.variant.ident
                ),
            );
        }
    }
}

/// How each field is built: `Default`, its own `with`, or the variant's `with`.
fn validate_fields<'a>(input: &'a VariantInput<'a>, errors: &mut Errors) -> Vec<FieldModel<'a>> {
    let mut fields: Vec<FieldModel<'a>> = input
        .fields
        .iter()
        .map(|field| FieldModel {
            field: field.field,
            build: field
                .with
                .as_ref()
                .map_or(FieldBuild::Default, |given| FieldBuild::With(&given.value)),
        })
        .collect();
    let Some(with) = &input.options.with else {
        return fields;
    };
    match fields.as_mut_slice() {
        [only] => {
            if let Some(field_with) = &input.fields[0].with {
                errors.spanned(
                    &field_with.key,
                    "the field's `with` and the variant's `with` both build this field; keep one",
                );
            }
            only.build = FieldBuild::With(&with.value);
        }
        [] => errors.spanned(
            &with.key,
            format!(
                "`{}` has no fields, so there is nothing for `with` to build; remove it",
                input.variant.ident
            ),
        ),
        _ => errors.spanned(
            &with.key,
            "`with` on a variant builds its one field, and this variant has several; put \
             `#[factory(with = path)]` on each field that is not built with `Default`",
        ),
    }
    fields
}

/// The variant's name, then its aliases, each checked against every name before it.
fn validate_names(
    input: &VariantInput<'_>,
    rename: Option<RenameStyle>,
    table: &mut NameTable,
    errors: &mut Errors,
) -> Vec<String> {
    let variant = input.variant;
    let options = &input.options;
    let ident = variant.ident.to_string();
    let ident = ident.strip_prefix("r#").unwrap_or(&ident);
    let primary = match &options.name {
        Some(given) => (given.value.value(), given.value.to_token_stream()),
        None => (
            rename.unwrap_or(RenameStyle::Snake).apply(ident),
            variant.ident.to_token_stream(),
        ),
    };
    if options.other.is_some() {
        // The `other` variant matches whatever no name matches, not a name of its own.
        return vec![primary.0];
    }
    let aliases = options
        .aliases
        .iter()
        .map(|alias| (alias.value(), alias.to_token_stream()));
    std::iter::once(primary)
        .chain(aliases)
        .filter_map(|(name, tokens)| table.insert(&name, tokens, errors).then_some(name))
        .collect()
}

fn validate_product(product: &Type, input: &FactoryInput<'_>, errors: &mut Errors) {
    if !matches!(product, Type::TraitObject(object) if object.dyn_token.is_some()) {
        errors.spanned(
            product,
            "`product` names the trait every variant's payload implements, as a trait object: \
             write `product = dyn Trait`",
        );
    }
    for variant in &input.variants {
        let count = variant.variant.fields.len();
        if count != 1 {
            errors.spanned(
                &variant.variant.ident,
                format!(
                    "with `product = {}`, each variant holds exactly one value that implements \
                     the trait, and `{}` holds {count}; give it one field holding the product",
                    product.to_token_stream(),
                    variant.variant.ident,
                ),
            );
        }
    }
}

/// Every accepted name, folded to ASCII lower case, with the tokens that gave it.
#[derive(Default)]
struct NameTable {
    seen: BTreeMap<String, (String, TokenStream)>,
}

impl NameTable {
    /// `false`, with an error at both places, when the name is taken already.
    fn insert(&mut self, name: &str, tokens: TokenStream, errors: &mut Errors) -> bool {
        if name.is_empty() {
            errors.spanned(tokens, "a kind's name cannot be empty");
            return false;
        }
        let folded = name.to_ascii_lowercase();
        if let Some((first_name, first)) = self.seen.get(&folded) {
            errors.spanned(
                &tokens,
                format!(
                    "the name {name:?} is already taken (names are compared ignoring ASCII case); \
                     give this variant another `name` or `alias`"
                ),
            );
            errors.spanned(first, format!("{first_name:?} is first used here"));
            return false;
        }
        self.seen.insert(folded, (name.to_owned(), tokens));
        true
    }
}
