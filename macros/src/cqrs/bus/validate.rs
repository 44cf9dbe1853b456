//! One handler per command or query, one pipeline per bus.

use super::parse::{BusInput, Wraps};
use crate::errors::Errors;
use crate::unique::Unique;

pub(super) fn validate(bus: &BusInput<'_>, errors: &mut Errors) {
    let mut handled = Unique::new(
        "registered on",
        "a command or query has exactly one handler: remove it from one of the two",
    );
    for field in &bus.fields {
        for ty in &field.handles {
            handled.insert(ty, field.ident, errors);
        }
    }
    if let Some(local) = &bus.local {
        if let Some(field) = bus.fields.iter().find(|f| f.behavior.is_some()) {
            errors.spanned(
                field.ident,
                "behaviours run on a `Send` bus: remove `#[behavior]` here or `local` from \
                 `#[bus(..)]`; a local bus takes a `#[middleware]` pipeline",
            );
            errors.spanned(local, "the bus is local here");
        }
    }
    for field in &bus.fields {
        let Some(Wraps::Only(list)) = &field.behavior else {
            continue;
        };
        for ty in list {
            let handled = bus
                .fields
                .iter()
                .any(|f| super::parse::names(&f.handles, ty));
            if !handled {
                errors.spanned(
                    ty,
                    format!(
                        "`{}` is not handled by this bus, so no behaviour can wrap it: add it \
                         to the `#[handles(..)]` of the field that handles it, or remove it here \
                         (events are not wrapped: use a `#[middleware]` pipeline for them)",
                        quote::quote!(#ty)
                    ),
                );
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
