//! Dependency injection: `#[derive(Inject)]` and the compile-time `#[derive(Container)]`.

pub(crate) mod container;
pub(crate) mod inject;
