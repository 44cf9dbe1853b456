//! Which field types mention the enum's type parameters, and so need bounds on the generated
//! impls instead of being checked where they are built.

use quote::ToTokens;
use syn::{GenericParam, Ident, Type};

use super::validate::{FactoryModel, FieldModel};
use crate::ident_name::mentions;
use crate::type_key::type_key;

/// The distinct types of the fields accepted by `keep` that name a type parameter, in source
/// order.
pub(super) fn generic_field_types<'a>(
    model: &'a FactoryModel<'a>,
    keep: impl Fn(&FieldModel<'_>) -> bool,
) -> Vec<&'a Type> {
    let params: Vec<&Ident> = model
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(ty) => Some(&ty.ident),
            _ => None,
        })
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    let mut seen: Vec<String> = Vec::new();
    let mut types = Vec::new();
    for field in model
        .variants
        .iter()
        .filter(|v| !v.skip)
        .flat_map(|v| &v.fields)
    {
        let ty = &field.field.ty;
        if !keep(field) || !mentions(ty.to_token_stream(), &params) {
            continue;
        }
        let text = type_key(ty);
        if !seen.contains(&text) {
            seen.push(text);
            types.push(ty);
        }
    }
    types
}
