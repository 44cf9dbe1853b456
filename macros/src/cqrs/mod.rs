//! CQRS: the message derives, `#[handlers]` and `#[derive(Bus)]`.

pub(crate) mod bus;
pub(crate) mod handlers;
pub(crate) mod message;
