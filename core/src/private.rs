//! What the facade's `__private` module passes on to generated code, and nothing else: the
//! items only macros name. Not part of the public API.

/// The compile-time container's graph check.
pub mod di {
    pub use crate::di::compiled::{CycleMessage, Provider, Wire, check_graph};
    pub use crate::di::inject::{param, resolve, resolve_all};
}

/// The check of a `#[handlers]` method's return type.
pub mod cqrs {
    pub use crate::cqrs::handler::{
        MarkedCommand, MarkedQuery, Returns, handled, marked_command, marked_query, returns,
    };
}

/// The factory's name lookup.
pub mod factory {
    pub use crate::factory::words::{short_word, short_word_is, word_at, word_at_is};
}

/// What a `#[saga]` impl calls.
#[cfg(feature = "saga")]
pub mod saga {
    pub use crate::saga::definition::{encode_output, lend, no_such_step, same_output};
}

/// What a state machine's generated code names beyond the public types.
pub use crate::state_machine::data::{InitialData, StateData};
pub use crate::state_machine::logging::{Log as MachineLogger, MachineLog};
pub use crate::state_machine::next_row::next_row;
