//! One provider per service.

use super::parse::ContainerInput;
use crate::errors::Errors;
use crate::unique::Unique;

/// Reports a service provided twice and keeps only its first provider, so the expansion
/// does not add a conflicting impl to the error.
pub(super) fn validate(container: &mut ContainerInput<'_>, errors: &mut Errors) {
    let mut keep = Vec::with_capacity(container.providers.len());
    {
        let mut unique = Unique::new("provided by", "a container provides a service once");
        for provider in &container.providers {
            keep.push(unique.insert(&provider.service, provider.ident, errors));
        }
    }
    let mut keep = keep.into_iter();
    container.providers.retain(|_| keep.next().unwrap_or(true));
}
