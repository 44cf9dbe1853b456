//! What the derives share: run a derive over its input, and require the shape it needs (an
//! enum, a struct, a struct with named fields), with one wording for every derive.

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::token::Comma;
use syn::{Data, DataEnum, DeriveInput, Field, Fields, Generics};

use crate::errors::Errors;

/// Runs `expand` over a derive's input. `Err` only when the input is not an item; every
/// other mistake goes to the errors, reported beside whatever `expand` could still generate
/// so that uses of the generated items do not add errors of their own.
pub(crate) fn try_expand_derive(
    input: TokenStream,
    expand: impl FnOnce(&DeriveInput, &mut Errors) -> TokenStream,
) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    let mut tokens = expand(&input, &mut errors);
    tokens.extend(errors.into_compile_errors());
    Ok(tokens)
}

/// The enum's variants, or an error at `struct`/`union` saying what the derive needs.
pub(crate) fn enum_data<'a>(
    input: &'a DeriveInput,
    derive: &str,
    needs: &str,
    errors: &mut Errors,
) -> Option<&'a DataEnum> {
    let (token, what): (&dyn quote::ToTokens, &str) = match &input.data {
        Data::Enum(data) => return Some(data),
        Data::Struct(data) => (&data.struct_token, "a struct"),
        Data::Union(data) => (&data.union_token, "a union"),
    };
    errors.spanned(
        token,
        format!("`#[derive({derive})]` cannot be used on {what}: {needs}"),
    );
    None
}

/// The struct's fields, or an error at `enum`/`union` saying what the derive needs.
pub(crate) fn struct_fields<'a>(
    input: &'a DeriveInput,
    derive: &str,
    needs: &str,
    errors: &mut Errors,
) -> Option<&'a Fields> {
    let (token, what): (&dyn quote::ToTokens, &str) = match &input.data {
        Data::Struct(data) => return Some(&data.fields),
        Data::Enum(data) => (&data.enum_token, "an enum"),
        Data::Union(data) => (&data.union_token, "a union"),
    };
    errors.spanned(
        token,
        format!("`#[derive({derive})]` cannot be used on {what}: {needs}"),
    );
    None
}

/// The named fields of a struct, or an error saying what the derive needs, with an example.
pub(crate) fn named_fields<'a>(
    input: &'a DeriveInput,
    derive: &str,
    needs: &str,
    errors: &mut Errors,
) -> Option<&'a Punctuated<Field, Comma>> {
    match struct_fields(input, derive, needs, errors)? {
        Fields::Named(fields) => Some(&fields.named),
        other => {
            errors.spanned(
                other,
                format!("`#[derive({derive})]` needs named fields: {needs}"),
            );
            None
        }
    }
}

/// The predicates of the item's `where` clause as tokens, to extend with the bounds a
/// generated impl adds (`where #(#predicates,)*`).
pub(crate) fn where_predicates(generics: &Generics) -> Vec<TokenStream> {
    generics
        .where_clause
        .iter()
        .flat_map(|clause| &clause.predicates)
        .map(quote::ToTokens::to_token_stream)
        .collect()
}
