//! `#[saga(..)]` and the `#[step(..)]` methods of the impl block, as written.

use proc_macro2::TokenStream;
use syn::{Ident, LitInt, LitStr, Path, Type};

use crate::attr::{Attr, BoolAttr, Given, Key, Reader, is_helper, key};
use crate::errors::Errors;
use crate::item_impl::{FnArg, ImplItem, ImplItemFn, ItemImpl, Pat};
use crate::symbol::{
    ATTEMPTS, COMPENSATE, CRATE, INPUT, NAME, PIVOT, RETRIABLE, SAGA, STEP, TIMEOUT_MS,
};

pub(super) struct SagaOptions {
    pub(super) input: Option<Type>,
    pub(super) name: Option<LitStr>,
    pub(super) krate: Option<Path>,
}

pub(super) struct StepOptions {
    pub(super) compensate: Option<Given<Ident>>,
    pub(super) pivot: Option<Ident>,
    pub(super) retriable: Option<Ident>,
    pub(super) attempts: Option<LitInt>,
    pub(super) timeout_ms: Option<LitInt>,
    pub(super) name: Option<LitStr>,
}

/// A parameter of a step or compensation method: its name and type.
pub(super) struct Param {
    pub(super) name: Ident,
    pub(super) ty: Type,
}

/// A method of the impl block: a step (it has `#[step]`) or a candidate compensation.
pub(super) struct Method {
    pub(super) ident: Ident,
    pub(super) fn_span: proc_macro2::Span,
    pub(super) is_async: bool,
    pub(super) has_self: bool,
    pub(super) params: Vec<Param>,
    /// Parameters that are not plain `name: Type` (patterns), to report.
    pub(super) odd_params: Vec<TokenStream>,
    pub(super) output: Option<Type>,
    /// `Some` for a step, with its options.
    pub(super) step: Option<(syn::Attribute, StepOptions)>,
}

const SAGA_KEYS: &[Key] = &[
    key(INPUT, "input = Type"),
    key(NAME, "name = \"..\""),
    key(CRATE, "crate = path"),
];

const STEP_KEYS: &[Key] = &[
    key(COMPENSATE, "compensate = method"),
    key(PIVOT, "pivot"),
    key(RETRIABLE, "retriable"),
    key(ATTEMPTS, "attempts = 5"),
    key(TIMEOUT_MS, "timeout_ms = 30000"),
    key(NAME, "name = \"..\""),
];

/// The impl block `#[saga]` is on; `Err` when the item is not one.
pub(super) fn parse_impl(item: TokenStream, errors: &mut Errors) -> syn::Result<ItemImpl> {
    let item: ItemImpl = syn::parse2(item).map_err(|error| {
        syn::Error::new(
            error.span(),
            "`#[saga]` goes on an impl block whose `async fn` methods marked `#[step]` are the \
             saga's steps",
        )
    })?;
    if let Some((trait_path, _)) = &item.trait_ {
        errors.spanned(
            trait_path,
            "`#[saga]` goes on an inherent impl block (`impl PlaceOrder { .. }`), not a trait impl",
        );
    }
    Ok(item)
}

pub(super) fn parse_args(args: TokenStream, errors: &mut Errors) -> SagaOptions {
    let mut input = Attr::default();
    let mut name = Attr::default();
    let mut krate = Attr::default();
    let reader = Reader {
        attr: SAGA,
        place: None,
        keys: SAGA_KEYS,
        hint: None,
    };
    reader.read_args(args, errors, |opt, errors| {
        let key = &opt.key;
        if key == INPUT {
            input.set(key, opt.value("OrderRequest")?, errors);
        } else if key == NAME {
            name.set(key, opt.value("\"PlaceOrder\"")?, errors);
        } else {
            krate.set(key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    SagaOptions {
        input: input.get(),
        name: name.get(),
        krate: krate.get(),
    }
}

fn parse_step_options(attr: &syn::Attribute, errors: &mut Errors) -> StepOptions {
    let mut compensate = Attr::default();
    let mut pivot = BoolAttr::default();
    let mut retriable = BoolAttr::default();
    let mut attempts = Attr::default();
    let mut timeout_ms = Attr::default();
    let mut name = Attr::default();
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        let reader = Reader {
            attr: STEP,
            place: None,
            keys: STEP_KEYS,
            hint: None,
        };
        reader.read_attrs(core::slice::from_ref(attr), errors, |opt, errors| {
            let key = &opt.key;
            if key == COMPENSATE {
                compensate.set(key, opt.value("undo_method")?, errors);
            } else if key == PIVOT {
                opt.flag()?;
                pivot.set_true(key, errors);
            } else if key == RETRIABLE {
                opt.flag()?;
                retriable.set_true(key, errors);
            } else if key == ATTEMPTS {
                attempts.set(key, opt.value("5")?, errors);
            } else if key == TIMEOUT_MS {
                timeout_ms.set(key, opt.value("30000")?, errors);
            } else {
                name.set(key, opt.value("\"charge\"")?, errors);
            }
            Ok(())
        });
    }
    StepOptions {
        compensate: compensate.given(),
        pivot: pivot.key(),
        retriable: retriable.key(),
        attempts: attempts.get(),
        timeout_ms: timeout_ms.get(),
        name: name.get(),
    }
}

/// Every method of the block, with `#[step]` removed from `item` and read.
pub(super) fn parse_methods(item: &mut ItemImpl, errors: &mut Errors) -> Vec<Method> {
    let mut methods = Vec::new();
    for member in &mut item.items {
        let ImplItem::Fn(method) = member else {
            continue;
        };
        let (mut steps, kept): (Vec<syn::Attribute>, Vec<syn::Attribute>) =
            std::mem::take(&mut method.attrs)
                .into_iter()
                .partition(|attr| attr.path().is_ident(STEP));
        // A misspelt `#[step]` stays on the method, where the compiler reports it, and is
        // read as meant, so that the saga around it adds no errors.
        steps.extend(
            kept.iter()
                .filter(|attr| is_helper(attr, STEP, &[STEP]))
                .filter_map(copy_attribute),
        );
        method.attrs = kept;
        // A step and a compensation are `async` by contract, even one that never awaits.
        let allow: syn::Attribute = syn::parse_quote!(#[allow(clippy::unused_async)]);
        if !steps.is_empty() {
            method.attrs.push(allow);
        }
        if let Some(again) = steps.get(1) {
            errors.duplicate(&steps[0], again, "`#[step]`");
        }
        let step = steps.into_iter().next().map(|attr| {
            let options = parse_step_options(&attr, errors);
            (attr, options)
        });
        methods.push(parse_method(method, step));
    }
    // Compensations are `async` by contract too.
    let undos: Vec<Ident> = methods
        .iter()
        .filter_map(|m| Some(m.step.as_ref()?.1.compensate.as_ref()?.value.clone()))
        .collect();
    for member in &mut item.items {
        if let ImplItem::Fn(method) = member {
            if undos.contains(&method.sig.ident) {
                method
                    .attrs
                    .push(syn::parse_quote!(#[allow(clippy::unused_async)]));
            }
        }
    }
    methods
}

fn parse_method(method: &ImplItemFn, step: Option<(syn::Attribute, StepOptions)>) -> Method {
    let mut has_self = false;
    let mut params = Vec::new();
    let mut odd_params = Vec::new();
    for input in &method.sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                has_self = receiver.shared;
                if !has_self {
                    odd_params.push(quote::ToTokens::to_token_stream(receiver));
                }
            }
            FnArg::Typed(typed) => match &typed.pat {
                Pat::Ident(ident) => {
                    params.push(Param {
                        name: ident.clone(),
                        ty: crate::owned::ty(&typed.ty),
                    });
                }
                Pat::Other(other) => odd_params.push(other.clone()),
            },
        }
    }
    Method {
        ident: method.sig.ident.clone(),
        fn_span: method.sig.fn_token.span,
        is_async: method.sig.asyncness.is_some(),
        has_self,
        params,
        odd_params,
        output: match &method.sig.output {
            syn::ReturnType::Type(_, ty) => Some(crate::owned::ty(ty)),
            syn::ReturnType::Default => None,
        },
        step,
    }
}

/// An owned copy of `attr` (syn is built without `clone-impls`): printed and read back.
fn copy_attribute(attr: &syn::Attribute) -> Option<syn::Attribute> {
    use syn::parse::Parser as _;
    syn::Attribute::parse_outer
        .parse2(quote::ToTokens::to_token_stream(attr))
        .ok()?
        .pop()
}
