//! Rules across the enum: names unique after case folding, one payload per product, and the
//! options that must or must not go together.

use crate::ident_name::name_of;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident};
use syn::{Field, Fields, Generics, Ident, LitStr, Path, Type, Visibility};

use crate::expr::Expr;

use super::case::RenameStyle;
use super::parse::{FactoryInput, KindName, VariantInput};
use crate::errors::Errors;
use crate::krate::CratePath;

#[derive(Clone, Copy)]
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
    /// The name first, then the aliases; matched ASCII case-insensitively unless the factory
    /// is `case_sensitive`.
    pub(super) names: Vec<String>,
    /// `format = ".."` for `Display`, with tuple fields' `{0}` renamed to the bindings'
    /// `{__field0}`.
    pub(super) format: Option<LitStr>,
}

/// How a name is compared with the accepted ones.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Matching {
    IgnoreAsciiCase,
    /// `case_sensitive`.
    Exact,
}

impl Matching {
    /// For documentation: "compared …".
    pub(super) fn describe(self) -> &'static str {
        match self {
            Matching::IgnoreAsciiCase => "ignoring ASCII case",
            Matching::Exact => "exactly",
        }
    }
}

/// What `#[derive(Factory)]` is on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Enum,
    /// A struct or union, reported as the one error; the rest is expanded as for an enum
    /// without variants.
    NotAnEnum,
}

pub(super) struct FactoryModel<'a> {
    pub(super) ident: &'a Ident,
    pub(super) vis: &'a Visibility,
    pub(super) generics: &'a Generics,
    pub(super) kind: Ident,
    /// `kind = Self`: the enum is fieldless and its own kind.
    pub(super) kind_is_self: bool,
    /// What the derive is on: for a struct or union, a `match` on the value has no variants
    /// to list.
    pub(super) item: Item,
    pub(super) kind_derive: &'a [Path],
    pub(super) product: Option<&'a Type>,
    pub(super) krate: CratePath,
    pub(super) variants: Vec<VariantModel<'a>>,
    pub(super) matching: Matching,
    /// `FromStr::Err` and `TryFrom<&str>::Error` of the kind, instead of `UnknownKind`.
    pub(super) error: Option<&'a Type>,
    /// `Display` on the enum itself.
    pub(super) display: bool,
    /// No `create`: the kind enum and `kind()` only.
    pub(super) kind_only: bool,
    /// `create_with(kind, &args)` instead of `create(kind)`.
    pub(super) args: Option<&'a Type>,
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
    let case_sensitive = options.case_sensitive.is_some();
    let mut names = NameTable {
        case_sensitive,
        ..NameTable::default()
    };
    let mut variants: Vec<VariantModel<'a>> = input
        .variants
        .iter()
        .map(|variant| validate_variant(variant, rename, &mut names, errors))
        .collect();
    let kind_is_self = !input.not_an_enum
        && matches!(
            options.kind.as_ref().map(|given| &given.value),
            Some(KindName::Itself)
        );
    if kind_is_self {
        validate_kind_is_self(input, errors);
        // A variant with data was reported above; leaving it out of the kinds keeps the rest
        // of the expansion valid, so that mistake is one error.
        for variant in variants.iter_mut().filter(|v| !v.shape.is_empty()) {
            variant.skip = true;
            variant.names.clear();
        }
    }
    if let Some(kind_only) = &options.kind_only {
        validate_kind_only(kind_only, input, errors);
    }

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
    let kind = match options.kind.as_ref().map(|given| &given.value) {
        Some(KindName::Named(name)) => name.clone(),
        Some(KindName::Itself) if kind_is_self => derive.ident.clone(),
        None | Some(KindName::Itself) => format_ident!("{}Kind", derive.ident),
    };
    FactoryModel {
        ident: &derive.ident,
        vis: &derive.vis,
        generics: &derive.generics,
        kind,
        kind_is_self,
        item: if input.not_an_enum {
            Item::NotAnEnum
        } else {
            Item::Enum
        },
        kind_derive: &options.kind_derive,
        product,
        krate: CratePath::new(options.krate.as_ref().map(|given| &given.value)),
        variants,
        matching: if case_sensitive {
            Matching::Exact
        } else {
            Matching::IgnoreAsciiCase
        },
        error: options.error.as_ref().map(|given| &given.value),
        display: options.display.is_some()
            || input.variants.iter().any(|v| v.options.format.is_some()),
        kind_only: options.kind_only.is_some(),
        args: options.args.as_ref().map(|given| &given.value),
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
        format: input
            .options
            .format
            .as_ref()
            .map(|given| positional_fields_named(&given.value)),
    }
}

/// `format = ".."` with `{0}`, `{1:>4}`… renamed to the bindings of a tuple variant's fields,
/// `{__field0}`…, so that every field is reached by name; `{{` stays as it is.
fn positional_fields_named(format: &LitStr) -> LitStr {
    let text = format.value();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '{' {
            continue;
        }
        if chars.peek() == Some(&'{') {
            out.push('{');
            chars.next();
            continue;
        }
        if chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str("__field");
        }
    }
    LitStr::new(&out, format.span())
}

/// `kind = Self`: a fieldless enum, every variant a kind, nothing to generate a kind enum for.
fn validate_kind_is_self(input: &FactoryInput<'_>, errors: &mut Errors) {
    let options = &input.options;
    for variant in &input.variants {
        if !variant.variant.fields.is_empty() {
            errors.spanned(
                &variant.variant.fields,
                format!(
                    "with `kind = Self` the enum is its own kind, so its variants hold no data, \
                     and `{}` does; remove `kind = Self` to get a kind enum beside it",
                    variant.variant.ident
                ),
            );
        }
        if let Some(skip) = &variant.options.skip {
            errors.spanned(
                skip,
                "with `kind = Self` every variant is a kind; remove `skip`",
            );
        }
    }
    if let Some(first) = options.kind_derive.first() {
        errors.spanned(
            first,
            "`kind_derive` adds derives to a generated kind enum, and `kind = Self` generates \
             none: derive on the enum itself",
        );
    }
    if let Some(product) = &options.product {
        errors.spanned(
            &product.key,
            "`product` needs variants that hold a value, and `kind = Self` has none",
        );
    }
    if let Some(args) = &options.args {
        errors.spanned(
            &args.key,
            "`args` is passed to the constructors of fields, and with `kind = Self` there are \
             none; remove it",
        );
    }
}

/// `kind_only`: nothing is created, so nothing says how.
fn validate_kind_only(key: &Ident, input: &FactoryInput<'_>, errors: &mut Errors) {
    if let Some(args) = &input.options.args {
        errors.spanned(
            &args.key,
            "`kind_only` creates no values, so `args` has nothing to be passed to; keep one of \
             them",
        );
    }
    let withs = input.variants.iter().flat_map(|variant| {
        variant
            .options
            .with
            .iter()
            .chain(variant.fields.iter().filter_map(|f| f.with.as_ref()))
    });
    for with in withs {
        errors.spanned(
            &with.key,
            format!(
                "`#[factory({key})]` creates no values, so nothing is built `with` this; remove \
                 it or `{key}`"
            ),
        );
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
    let primary = match &options.name {
        Some(given) => (given.value.value(), given.value.to_token_stream()),
        None => (
            rename
                .unwrap_or(RenameStyle::Snake)
                .apply(&name_of(&variant.ident)),
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

/// Every accepted name, folded to ASCII lower case unless the factory is case-sensitive, with
/// the tokens that gave it.
#[derive(Default)]
struct NameTable {
    case_sensitive: bool,
    seen: BTreeMap<String, (String, TokenStream)>,
}

impl NameTable {
    /// `false`, with an error at both places, when the name is taken already.
    fn insert(&mut self, name: &str, tokens: TokenStream, errors: &mut Errors) -> bool {
        if name.is_empty() {
            errors.spanned(tokens, "a kind's name cannot be empty");
            return false;
        }
        let folded = if self.case_sensitive {
            name.to_owned()
        } else {
            name.to_ascii_lowercase()
        };
        if let Some((first_name, first)) = self.seen.get(&folded) {
            let message = if self.case_sensitive {
                format!(
                    "the name {name:?} is already taken; give this variant another `name` or \
                     `alias`"
                )
            } else {
                format!(
                    "the name {name:?} is already taken (names are compared ignoring ASCII \
                     case; `#[factory(case_sensitive)]` tells apart names that differ only in \
                     case); give this variant another `name` or `alias`"
                )
            };
            errors.spanned(&tokens, message);
            errors.spanned(first, format!("{first_name:?} is first used here"));
            return false;
        }
        self.seen.insert(folded, (name.to_owned(), tokens));
        true
    }
}
