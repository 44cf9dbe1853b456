//! Dependency injection: `#[derive(Inject)]` and the compile-time `#[derive(Container)]`.

pub(crate) mod container;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
pub(crate) mod inject;
