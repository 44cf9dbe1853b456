//! Every patternkit macro with every option, compiled under the strictest lints a user may
//! set. A warning in generated code fails the build of this crate.

#![deny(
    warnings,
    missing_docs,
    unused_lifetimes,
    single_use_lifetimes,
    clippy::all,
    clippy::pedantic
)]
#![forbid(unsafe_code)]

pub mod factories;
pub mod hygiene;
pub mod machines;
pub mod messaging;
pub mod sagas;
pub mod singletons;
pub mod wiring;
