//! The rules across the steps: kinds in order, one pivot, compensations that exist and fit,
//! parameters that name what a step can read.

use crate::ident_name::{name_of, same_name};
use quote::ToTokens;
use syn::{Ident, Type};

use crate::item_impl::ItemImpl;

use super::parse::{Method, Param, SagaOptions, StepOptions};
use crate::errors::Errors;
use crate::symbol::INPUT;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Compensatable,
    Pivot,
    Retriable,
}

/// Where a parameter's value comes from.
pub(super) enum Binding {
    Context,
    Input,
    /// The output of step `index`, read back as `ty`; passed by reference when the
    /// parameter is one.
    Output {
        index: usize,
        ty: Box<Type>,
        by_ref: bool,
        /// What that step returns (`T` of its `Result<T, E>`), to check the two agree.
        produced: Option<Box<Type>>,
    },
}

pub(super) struct StepModel<'a> {
    pub(super) method: &'a Method,
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) attempts: Option<u32>,
    pub(super) timeout_ms: Option<u64>,
    pub(super) bindings: Vec<Binding>,
    pub(super) compensation: Option<(&'a Method, Vec<Binding>)>,
}

pub(super) struct SagaModel<'a> {
    pub(super) name: String,
    pub(super) input: Type,
    pub(super) steps: Vec<StepModel<'a>>,
}

pub(super) fn validate<'a>(
    item: &ItemImpl,
    options: &SagaOptions,
    methods: &'a [Method],
    errors: &mut Errors,
) -> SagaModel<'a> {
    let name = options
        .name
        .as_ref()
        .map_or_else(|| type_name(&item.self_ty), syn::LitStr::value);
    let input = options
        .input
        .as_ref()
        .map_or_else(|| syn::parse_quote!(()), crate::owned::ty);
    let steps: Vec<&Method> = methods.iter().filter(|m| m.step.is_some()).collect();
    if steps.is_empty() {
        errors.spanned(
            &item.self_ty,
            "a saga needs its steps: mark the methods that are steps with `#[step]`, in order",
        );
    }
    let mut models: Vec<StepModel<'a>> = Vec::new();
    let mut pivot: Option<&Ident> = None;
    let mut names: Vec<(String, &Ident)> = Vec::new();
    for (index, method) in steps.iter().enumerate() {
        let Some((attr, options)) = &method.step else {
            continue;
        };
        check_signature(method, "step", errors);
        let kind = step_kind(options, errors);
        if let Some(key) = &options.pivot {
            match pivot {
                Some(first) => {
                    errors.spanned(
                        key,
                        "a saga has one pivot, its point of no return; make this step \
                         compensatable (before the pivot) or retriable (after it)",
                    );
                    errors.spanned(first, "the first pivot is here");
                }
                None => pivot = Some(key),
            }
        }
        check_order(&models, method, kind, errors);
        let log_name = options
            .name
            .as_ref()
            .map_or_else(|| name_of(&method.ident), syn::LitStr::value);
        if let Some((_, first)) = names.iter().find(|(n, _)| *n == log_name) {
            errors.spanned(
                &method.ident,
                format!("two steps are named `{log_name}`; the log tells steps apart by name, so give one `#[step(name = \"..\")]`"),
            );
            errors.spanned(first, format!("the first step named `{log_name}` is here"));
        }
        names.push((log_name.clone(), &method.ident));
        let bindings = bind(&method.params, &steps[..index], errors);
        let compensation = compensation(method, options, kind, methods, &steps[..=index], errors);
        let (attempts, timeout_ms) = limits(options, errors);
        let _ = attr;
        models.push(StepModel {
            method,
            name: log_name,
            kind,
            attempts,
            timeout_ms,
            bindings,
            compensation,
        });
    }
    SagaModel {
        name,
        input,
        steps: models,
    }
}

fn step_kind(options: &StepOptions, errors: &mut Errors) -> Kind {
    match (&options.pivot, &options.retriable) {
        (Some(p), Some(r)) => {
            errors.spanned(r, "a step is a pivot or retriable, not both; keep one");
            errors.spanned(p, "`pivot` is given here");
            Kind::Pivot
        }
        (Some(_), None) => Kind::Pivot,
        (None, Some(_)) => Kind::Retriable,
        (None, None) => Kind::Compensatable,
    }
}

/// The method `compensate` names, if the step may have one and it exists and fits.
fn compensation<'a>(
    method: &Method,
    options: &StepOptions,
    kind: Kind,
    methods: &'a [Method],
    readable: &[&Method],
    errors: &mut Errors,
) -> Option<(&'a Method, Vec<Binding>)> {
    options.compensate.as_ref().and_then(|given| {
        let refuse = match kind {
            Kind::Pivot => Some(
                "a pivot is the point of no return and is never compensated; remove \
                     `compensate`, or make the step compensatable",
            ),
            Kind::Retriable => Some(
                "a retriable step comes after the point of no return and is never \
                     compensated; remove `compensate`",
            ),
            Kind::Compensatable => None,
        };
        if let Some(message) = refuse {
            errors.spanned(&given.key, message);
            return None;
        }
        let Some(undo) = methods.iter().find(|m| same_name(&m.ident, &given.value)) else {
            errors.spanned(
                &given.value,
                format!(
                    "no method `{0}` in this impl block to compensate `{1}`; add \
                         `async fn {0}(&self, input: &Input) -> Result<(), Error>`",
                    given.value, method.ident
                ),
            );
            return None;
        };
        if undo.step.is_some() {
            errors.spanned(
                &given.value,
                format!(
                    "`{}` is a step; a compensation is a method of its own",
                    given.value
                ),
            );
            return None;
        }
        check_signature(undo, "compensation", errors);
        Some((undo, bind(&undo.params, readable, errors)))
    })
}

/// `attempts` and `timeout_ms`, each a whole number from 1.
fn limits(options: &StepOptions, errors: &mut Errors) -> (Option<u32>, Option<u64>) {
    let attempts = options.attempts.as_ref().and_then(|lit| {
        lit.base10_parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .or_else(|| {
                errors.spanned(lit, "`attempts` is a whole number from 1");
                None
            })
    });
    let timeout_ms = options.timeout_ms.as_ref().and_then(|lit| {
        lit.base10_parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .or_else(|| {
                errors.spanned(lit, "`timeout_ms` is a whole number of milliseconds from 1");
                None
            })
    });
    (attempts, timeout_ms)
}

/// Compensatable steps first, then the pivot, then retriable steps.
fn check_order(before: &[StepModel<'_>], method: &Method, kind: Kind, errors: &mut Errors) {
    let passed_pivot = before.iter().any(|s| s.kind != Kind::Compensatable);
    let has_retriable = before.iter().any(|s| s.kind == Kind::Retriable);
    if kind == Kind::Compensatable && passed_pivot {
        errors.spanned(
            &method.ident,
            "a compensatable step comes before the pivot and retriable steps: once the saga \
             is past its point of no return nothing is compensated; move this step up, or \
             make it `retriable`",
        );
    } else if kind == Kind::Pivot && has_retriable {
        errors.spanned(
            &method.ident,
            "the pivot comes before every retriable step; move it up",
        );
    }
}

fn check_signature(method: &Method, what: &str, errors: &mut Errors) {
    if !method.is_async {
        errors.push(syn::Error::new(
            method.fn_span,
            format!(
                "a saga {what} is `async`: write `async fn {}(&self, ..)`",
                method.ident
            ),
        ));
    }
    if !method.has_self {
        errors.spanned(
            &method.ident,
            format!(
                "a saga {what} takes `&self` first: `async fn {}(&self, ..)`",
                method.ident
            ),
        );
    }
    for odd in &method.odd_params {
        errors.spanned(
            odd,
            "a parameter here is a plain `name: Type`, the name saying what it receives",
        );
    }
    let returns_result = match &method.output {
        Some(Type::Path(path)) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Result"),
        _ => false,
    };
    if !returns_result {
        let message =
            format!("a saga {what} returns `Result<T, E>`: its error is how it says it failed");
        match &method.output {
            Some(ty) => errors.spanned(ty, message),
            None => errors.spanned(&method.ident, message),
        }
    }
}

/// What each parameter receives: the context (`&StepContext`), the input (`input`), or the
/// output of one of `earlier`, by its method name.
fn bind(params: &[Param], earlier: &[&Method], errors: &mut Errors) -> Vec<Binding> {
    params
        .iter()
        .filter_map(|param| {
            let (inner, by_ref) = match &param.ty {
                Type::Reference(reference) => (crate::owned::ty(&reference.elem), true),
                other => (crate::owned::ty(other), false),
            };
            if by_ref && last_ident(&inner).is_some_and(|i| i == "StepContext") {
                return Some(Binding::Context);
            }
            if param.name == INPUT {
                if !by_ref {
                    errors.spanned(&param.ty, "the input is borrowed: write `input: &Input`");
                    return None;
                }
                return Some(Binding::Input);
            }
            if let Some(index) = earlier
                .iter()
                .position(|m| same_name(&m.ident, &param.name))
            {
                return Some(Binding::Output {
                    index,
                    ty: Box::new(inner),
                    by_ref,
                    produced: ok_type(earlier[index].output.as_ref()).map(Box::new),
                });
            }
            let known: Vec<String> = earlier.iter().map(|m| format!("`{}`", m.ident)).collect();
            errors.spanned(
                &param.name,
                format!(
                    "`{}` is not `input`, a `&StepContext`, or the output of a step before this \
                     one; name a parameter after the step whose output it reads{}",
                    param.name,
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (here: {})", known.join(", "))
                    }
                ),
            );
            None
        })
        .collect()
}

/// `T` of a `-> Result<T, E>`.
fn ok_type(output: Option<&Type>) -> Option<Type> {
    let Type::Path(path) = output? else {
        return None;
    };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) => Some(crate::owned::ty(ty)),
        _ => None,
    }
}

fn last_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

fn type_name(ty: &Type) -> String {
    last_ident(ty).map_or_else(|| ty.to_token_stream().to_string(), name_of)
}
