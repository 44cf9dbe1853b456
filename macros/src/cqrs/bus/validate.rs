//! One handler per command or query, one pipeline per bus.

use super::parse::BusInput;
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
    let pipelines: Vec<_> = bus.fields.iter().filter_map(|f| f.middleware).collect();
    if let [first, again, ..] = pipelines.as_slice() {
        errors.spanned(
            again,
            "a bus has one `#[middleware]` pipeline; put every middleware in it, in order",
        );
        errors.spanned(first, "the first `#[middleware]` field is here");
    }
}
