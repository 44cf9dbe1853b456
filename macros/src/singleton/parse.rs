//! The attribute's options as written, in source order, each with the tokens to point at.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Expr, Ident, Path, Type};

use crate::errors::Errors;
use crate::options::value;
use crate::symbol::{CRATE, ERROR, INIT, MANUAL, TRY_INIT};

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

const EXPECTED: &str = "expected one of `init = path`, `try_init = path`, `error = Type`, \
                        `manual`, `crate = path`";

pub(super) fn parse_options(args: TokenStream, errors: &mut Errors) -> Vec<SingletonOption> {
    let mut options = Vec::new();
    let parser = syn::meta::parser(|meta| {
        if let Some(option) = parse_option(&meta, errors)? {
            options.push(option);
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    options
}

fn parse_option(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<SingletonOption>> {
    let Some(key) = meta.path.get_ident().cloned() else {
        errors.spanned(
            &meta.path,
            format!("unknown `#[singleton]` option; {EXPECTED}"),
        );
        skip_value(meta)?;
        return Ok(None);
    };
    let value = if key == INIT {
        OptionValue::Init(value(meta, &key.to_string(), "path::to::constructor")?)
    } else if key == TRY_INIT {
        OptionValue::TryInit(value(meta, &key.to_string(), "path::to::constructor")?)
    } else if key == ERROR {
        OptionValue::Error(value(meta, &key.to_string(), "ErrorType")?)
    } else if key == CRATE {
        OptionValue::Crate(value(meta, &key.to_string(), "path::to::patternkit")?)
    } else if key == MANUAL {
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            return Err(meta.error("`manual` takes no value: write `#[singleton(manual)]`"));
        }
        OptionValue::Manual
    } else {
        errors.spanned(
            &key,
            format!("unknown `#[singleton]` option `{key}`; {EXPECTED}"),
        );
        skip_value(meta)?;
        return Ok(None);
    };
    Ok(Some(SingletonOption { key, value }))
}

/// Steps over what follows an unknown key so that the options after it are still read.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}
