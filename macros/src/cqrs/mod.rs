//! CQRS: the message derives, `#[handlers]` and `#[derive(Bus)]`.

pub(crate) mod bus;
#[cfg(test)]
pub(crate) mod fuzz_inputs;
pub(crate) mod handlers;
pub(crate) mod message;
