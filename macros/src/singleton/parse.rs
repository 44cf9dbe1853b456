//! The attribute's options as written, in source order, each with the tokens to point at.

use proc_macro2::TokenStream;
use syn::{Ident, Path, Type};

use crate::expr::Expr;

use crate::attr::{Key, Reader, key};
use crate::errors::Errors;
use crate::symbol::{CRATE, ERROR, INIT, MANUAL, SINGLETON, TRY_INIT};

pub(super) enum OptionValue {
    Init(Expr),
    TryInit(Expr),
    Error(Type),
    Manual,
    Crate(Path),
}

pub(super) struct SingletonOption {
    pub(super) key: Ident,
    pub(super) value: OptionValue,
}

const KEYS: &[Key] = &[
    key(INIT, "init = path"),
    key(TRY_INIT, "try_init = path"),
    key(ERROR, "error = Type"),
    key(MANUAL, "manual"),
    key(CRATE, "crate = path"),
];

/// The options in source order; repetitions and conflicts are judged by `validate`, which
/// sees them all.
pub(super) fn parse_options(args: TokenStream, errors: &mut Errors) -> Vec<SingletonOption> {
    let mut options = Vec::new();
    let reader = Reader {
        attr: SINGLETON,
        place: None,
        keys: KEYS,
        hint: None,
    };
    reader.read_args(args, errors, |opt, _| {
        let key = opt.key.clone();
        let value = if key == INIT {
            OptionValue::Init(opt.value("path::to::constructor")?)
        } else if key == TRY_INIT {
            OptionValue::TryInit(opt.value("path::to::constructor")?)
        } else if key == ERROR {
            OptionValue::Error(opt.value("ErrorType")?)
        } else if key == MANUAL {
            opt.flag()?;
            OptionValue::Manual
        } else {
            OptionValue::Crate(opt.value("path::to::patternkit")?)
        };
        options.push(SingletonOption { key, value });
        Ok(())
    });
    options
}
