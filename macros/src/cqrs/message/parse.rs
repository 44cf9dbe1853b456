//! The options of `#[command(..)]`, `#[query(..)]` and `#[event(..)]`.

use syn::{DeriveInput, Path, Type};

use super::Kind;
use crate::attr::{Attr, BoolAttr, Key, Reader, key};
use crate::errors::Errors;
use crate::symbol::{CRATE, ERROR, OUTPUT, VALIDATE};

pub(super) struct MessageOptions {
    pub(super) output: Option<Type>,
    pub(super) error: Option<Type>,
    pub(super) validate: bool,
    pub(super) krate: Option<Path>,
}

const REQUEST_KEYS: &[Key] = &[
    key(OUTPUT, "output = Type"),
    key(ERROR, "error = Type"),
    key(VALIDATE, "validate"),
    key(CRATE, "crate = path"),
];

const EVENT_KEYS: &[Key] = &[key(VALIDATE, "validate"), key(CRATE, "crate = path")];

pub(super) fn parse_options(
    input: &DeriveInput,
    kind: Kind,
    errors: &mut Errors,
) -> MessageOptions {
    let mut output = Attr::default();
    let mut error = Attr::default();
    let mut validate = BoolAttr::default();
    let mut krate = Attr::default();
    let reader = match kind {
        Kind::Event => Reader {
            attr: kind.attr(),
            place: None,
            keys: EVENT_KEYS,
            hint: Some("an event has no output or error"),
        },
        Kind::Command | Kind::Query => Reader {
            attr: kind.attr(),
            place: None,
            keys: REQUEST_KEYS,
            hint: None,
        },
    };
    reader.read_attrs(&input.attrs, errors, |opt, errors| {
        let key = &opt.key;
        if key == OUTPUT {
            output.set(key, opt.value("OutputType")?, errors);
        } else if key == ERROR {
            error.set(key, opt.value("ErrorType")?, errors);
        } else if key == VALIDATE {
            opt.flag()?;
            validate.set_true(key, errors);
        } else {
            krate.set(key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    MessageOptions {
        output: output.get(),
        error: error.get(),
        validate: validate.get(),
        krate: krate.get(),
    }
}
