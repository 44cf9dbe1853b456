//! One handler per command or query, one pipeline per bus.

use quote::ToTokens;

use super::parse::BusInput;
use crate::errors::Errors;

pub(super) fn validate(bus: &BusInput<'_>, errors: &mut Errors) {
    let mut seen: Vec<(String, &syn::Type, &syn::Ident)> = Vec::new();
    for field in &bus.fields {
        for ty in &field.handles {
            let key = ty.to_token_stream().to_string();
            if let Some((_, first_ty, first_field)) = seen.iter().find(|(k, _, _)| *k == key) {
                errors.spanned(
                    ty,
                    format!(
                        "`{key}` is registered on both `{first_field}` and `{}`; a command or \
                         query has exactly one handler: remove it from one of the two",
                        field.ident
                    ),
                );
                errors.spanned(
                    first_ty,
                    format!("`{key}` is first registered on `{first_field}` here"),
                );
            } else {
                seen.push((key, ty, field.ident));
            }
        }
    }
    let pipelines: Vec<_> = bus.fields.iter().filter_map(|f| f.middleware).collect();
    if let [first, again, ..] = pipelines.as_slice() {
        errors.spanned(
            again,
            "a bus has one `#[middleware]` pipeline; put every middleware in it, in order",
        );
        errors.spanned(first, "the first `#[middleware]` field is here");
    }
}
