//! The impl block and its marked methods: which message each handles, and how.

use proc_macro2::TokenStream;
use quote::ToTokens as _;
use syn::{Ident, Path, Type};

use super::super::message::Kind;
use crate::attr::{Attr, BoolAttr, Key, Reader, is_helper, key};
use crate::errors::Errors;
use crate::ident_name::mentions;
use crate::item_impl::{FnArg, ImplItem, ImplItemFn, ItemImpl};
use crate::symbol::{COMMAND, CRATE, EVENT, HANDLERS, LOCAL, QUERY};

const KEYS: &[Key] = &[key(LOCAL, "local"), key(CRATE, "crate = path")];

/// The impl block `#[handlers]` is on; `Err` when the item is not one.
pub(super) fn parse_impl(item: TokenStream, errors: &mut Errors) -> syn::Result<ItemImpl> {
    let item: ItemImpl = syn::parse2(item).map_err(|error| {
        syn::Error::new(
            error.span(),
            "`#[handlers]` goes on an impl block whose methods are marked `#[command]`, \
             `#[query]` or `#[event]`",
        )
    })?;
    if let Some((trait_path, _)) = &item.trait_ {
        errors.spanned(
            trait_path,
            "`#[handlers]` goes on an inherent impl block (`impl Service { ... }`), not a trait impl",
        );
    }
    Ok(item)
}

/// What `#[handlers(..)]` says.
pub(super) struct HandlersArgs {
    pub(super) krate: Option<Path>,
    /// `local`: handlers for a `#[bus(local)]`, whose futures need not be `Send`.
    pub(super) local: bool,
}

/// `#[handlers(local, crate = path)]`.
pub(super) fn parse_args(args: TokenStream, errors: &mut Errors) -> HandlersArgs {
    let mut krate = Attr::default();
    let mut local = BoolAttr::default();
    let reader = Reader {
        attr: HANDLERS,
        place: None,
        keys: KEYS,
        hint: None,
    };
    reader.read_args(args, errors, |opt, errors| {
        if opt.key == LOCAL {
            opt.flag()?;
            local.set_true(&opt.key, errors);
        } else {
            krate.set(&opt.key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    HandlersArgs {
        krate: krate.get(),
        local: local.key().is_some(),
    }
}

/// A method marked `#[command]`, `#[query]` or `#[event]`.
pub(super) struct HandlerMethod {
    pub(super) kind: Kind,
    pub(super) name: Ident,
    /// The message type as written: the argument's type, or what it points to for an event.
    pub(super) message: TokenStream,
    pub(super) is_async: bool,
    /// Where a wrong return type is reported: the written return type, or the name.
    pub(super) output: proc_macro2::Span,
    /// The signature is wrong (and reported): the handler is implemented without calling
    /// the method.
    pub(super) fallback: bool,
    /// The marker, `#[command]` or the like: where a message of another family is reported.
    pub(super) marker: proc_macro2::Span,
}

const MARKERS: &[&str] = &[COMMAND, QUERY, EVENT];

fn marker_kind(method: &ImplItemFn) -> Vec<(Kind, &syn::Attribute)> {
    method
        .attrs
        .iter()
        .filter_map(|attr| {
            // A misspelt marker stays on the method, where the compiler reports it; read as
            // meant, the handler is there and nothing else is an error.
            let kind = if is_helper(attr, COMMAND, MARKERS) {
                Kind::Command
            } else if is_helper(attr, QUERY, MARKERS) {
                Kind::Query
            } else if is_helper(attr, EVENT, MARKERS) {
                Kind::Event
            } else {
                return None;
            };
            Some((kind, attr))
        })
        .collect()
}

/// The marked methods, with their markers removed from `item`.
pub(super) fn parse_methods(item: &mut ItemImpl, errors: &mut Errors) -> Vec<HandlerMethod> {
    let mut methods = Vec::new();
    for member in &mut item.items {
        let ImplItem::Fn(method) = member else {
            continue;
        };
        let markers = marker_kind(method);
        let Some(&(kind, attr)) = markers.first() else {
            continue;
        };
        if let Some((_, again)) = markers.get(1) {
            errors.spanned(
                again,
                "a method handles one message: keep one of `#[command]`, `#[query]`, `#[event]`",
            );
        }
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            errors.spanned(
                attr,
                "the marker takes no arguments: the message type is the method's parameter",
            );
        }
        let marker = syn::spanned::Spanned::span(attr);
        let handler = validate_method(method, kind, marker, errors);
        if handler.as_ref().is_some_and(|handler| handler.fallback) {
            // Nothing calls a method whose signature is wrong.
            method.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
        }
        methods.extend(handler);
        method.attrs.retain(|a| {
            !(a.path().is_ident(COMMAND) || a.path().is_ident(QUERY) || a.path().is_ident(EVENT))
        });
        // The handler contract fixes the signature: the message by value, a `Result` even
        // when nothing fails, `&self` even when unused, `async` whether or not it awaits.
        // Lints about those are not the user's to fix.
        method.attrs.push(syn::parse_quote!(#[allow(
            clippy::needless_pass_by_value,
            clippy::unnecessary_wraps,
            clippy::unused_self,
            clippy::unused_async
        )]));
    }
    methods
}

fn validate_method(
    method: &ImplItemFn,
    kind: Kind,
    marker: proc_macro2::Span,
    errors: &mut Errors,
) -> Option<HandlerMethod> {
    let sig = &method.sig;
    let shape = match kind {
        Kind::Event => "`fn name(&self, event: &Event)`",
        Kind::Command => "`fn name(&self, command: Command) -> Result<Output, Error>`",
        Kind::Query => "`fn name(&self, query: Query) -> Result<Output, Error>`",
    };
    let handler = |message: &Type, fallback: bool| HandlerMethod {
        kind,
        name: sig.ident.clone(),
        message: match (kind, message) {
            (_, Type::Reference(reference)) => reference.elem.to_token_stream(),
            (_, ty) => ty.to_token_stream(),
        },
        is_async: sig.asyncness.is_some(),
        output: match &sig.output {
            syn::ReturnType::Type(_, ty) => syn::spanned::Spanned::span(&**ty),
            syn::ReturnType::Default => sig.ident.span(),
        },
        fallback,
        marker,
    };
    // The message the method meant to handle, even when the signature is wrong: the first
    // parameter after the receiver, or the first one when there is no receiver. After an
    // error its handler is still implemented, so that the bus and the calls that rely on
    // it add no errors of their own.
    let mut inputs = sig.inputs.iter().peekable();
    let receiver = match inputs.peek() {
        Some(FnArg::Receiver(receiver)) => {
            inputs.next();
            Some(receiver.shared)
        }
        _ => None,
    };
    let message = inputs.next().and_then(|arg| match arg {
        FnArg::Typed(arg) => Some(&*arg.ty),
        FnArg::Receiver(_) => None,
    });
    let more = inputs.next().is_some();
    if receiver != Some(true) {
        errors.spanned(
            &sig.ident,
            format!(
                "a handler method takes `&self` (handlers are shared between callers), then \
                 the message: {shape}"
            ),
        );
        return message.map(|message| handler(message, true));
    }
    let Some(message) = message.filter(|_| !more) else {
        errors.spanned(
            &sig.inputs,
            format!("a handler method takes `&self` and exactly one message: {shape}"),
        );
        return message.map(|message| handler(message, true));
    };
    if !sig.generics.params.is_empty() {
        errors.spanned(
            &sig.generics,
            "a handler method cannot be generic: it handles one message type",
        );
        // A message written with the method's own parameters names no type outside it.
        let own: Vec<&Ident> = sig
            .generics
            .type_params()
            .map(|param| &param.ident)
            .collect();
        return (!mentions(message.to_token_stream(), &own)).then(|| handler(message, true));
    }
    match (kind, matches!(message, Type::Reference(_))) {
        (Kind::Event, true) | (Kind::Command | Kind::Query, false) => Some(handler(message, false)),
        (Kind::Event, false) => {
            errors.spanned(
                message,
                "an event is shared by every subscriber, so it is taken by reference: `event: \
                 &Event`",
            );
            Some(handler(message, true))
        }
        (Kind::Command | Kind::Query, true) => {
            errors.spanned(
                message,
                "a command or query is handed to its one handler by value: drop the `&`",
            );
            Some(handler(message, true))
        }
    }
}
