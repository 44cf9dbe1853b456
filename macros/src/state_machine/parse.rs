//! `#[state_machine(...)]`, its transition table and `#[state(...)]` on variants, as written.

use proc_macro2::{Group, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Ident, Path, Token, Type, Variant, bracketed};

use crate::enum_input::enum_data;
use crate::errors::Errors;
use crate::options::value;
use crate::symbol::{
    ALLOW_UNREACHABLE, CONTEXT, CRATE, ENTRY, EVENT, EXHAUSTIVE, EXIT, FINAL, INITIAL, STATES,
    SUPERSTATE, TRANSITIONS,
};

mod kw {
    syn::custom_keyword!(then);
}

/// Where a row starts.
pub(super) enum SourceSyntax {
    /// `_`: every state.
    Any,
    /// `A` or `A | B`: states or superstates by name.
    Named(Vec<Ident>),
}

/// `Unlock` or `Unlock(1234)` or `Unlock { code, .. }`: a variant of the event enum with an
/// optional pattern on its fields.
pub(super) struct EventSyntax {
    pub(super) variant: Ident,
    pub(super) fields: Option<Group>,
}

/// One row: `Sources + Event => Target if guard then action`.
pub(super) struct RowSyntax {
    pub(super) source: SourceSyntax,
    pub(super) event: EventSyntax,
    /// `None` for `=> _`, an internal transition.
    pub(super) target: Option<Ident>,
    pub(super) guard: Option<Path>,
    pub(super) action: Option<Path>,
    /// The whole row, to point at.
    pub(super) tokens: TokenStream,
}

impl Parse for RowSyntax {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let fork = input.fork();
        let source = if input.peek(Token![_]) {
            {
                input.parse::<Token![_]>()?;
                SourceSyntax::Any
            }
        } else {
            let mut names = vec![input.parse::<Ident>().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "a row starts with its source state, `_`, or `A | B`",
                )
            })?];
            while input.peek(Token![|]) {
                input.parse::<Token![|]>()?;
                names.push(input.parse()?);
            }
            SourceSyntax::Named(names)
        };
        input.parse::<Token![+]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `+ Event` after the source: `Source + Event => Target`",
            )
        })?;
        let variant: Ident = input.parse()?;
        let fields = if input.peek(syn::token::Paren) || input.peek(syn::token::Brace) {
            Some(input.parse::<Group>()?)
        } else {
            None
        };
        input.parse::<Token![=>]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `=> Target` after the event: `Source + Event => Target`",
            )
        })?;
        let target = if input.peek(Token![_]) {
            input.parse::<Token![_]>()?;
            None
        } else {
            Some(input.parse::<Ident>()?)
        };
        let guard = if input.peek(Token![if]) {
            input.parse::<Token![if]>()?;
            Some(input.parse::<Path>()?)
        } else {
            None
        };
        let action = if input.peek(kw::then) {
            input.parse::<kw::then>()?;
            Some(input.parse::<Path>()?)
        } else {
            None
        };
        if !input.is_empty() && !input.peek(Token![,]) {
            return Err(input.error(
                "expected `,`, `if guard` or `then action` after the target; a row reads \
                 `Source + Event => Target if guard then action`",
            ));
        }
        let consumed = fork.cursor().token_stream();
        let tokens: TokenStream = consumed
            .into_iter()
            .take_while(|t| !matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' ))
            .collect();
        Ok(RowSyntax {
            source,
            event: EventSyntax { variant, fields },
            target,
            guard,
            action,
            tokens,
        })
    }
}

/// `superstate(Name, initial = A, states = [A, B], entry = f, exit = g)`.
pub(super) struct SuperstateSyntax {
    pub(super) name: Ident,
    pub(super) initial: Option<Ident>,
    pub(super) states: Vec<Ident>,
    pub(super) entry: Option<Path>,
    pub(super) exit: Option<Path>,
}

#[derive(Default)]
pub(super) struct MachineOptions {
    pub(super) event: Option<Type>,
    pub(super) context: Option<Type>,
    pub(super) initial: Option<Ident>,
    pub(super) rows: Vec<RowSyntax>,
    pub(super) transitions_key: Option<Ident>,
    pub(super) superstates: Vec<SuperstateSyntax>,
    pub(super) exhaustive: bool,
    pub(super) krate: Option<Path>,
}

#[derive(Default)]
pub(super) struct StateOptions {
    pub(super) entry: Option<Path>,
    pub(super) exit: Option<Path>,
    pub(super) is_final: bool,
    pub(super) allow_unreachable: bool,
}

pub(super) struct StateInput<'a> {
    pub(super) variant: &'a Variant,
    pub(super) options: StateOptions,
}

pub(super) struct MachineInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) options: MachineOptions,
    pub(super) states: Vec<StateInput<'a>>,
}

pub(super) fn parse_machine<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<MachineInput<'a>> {
    let data = enum_data(
        input,
        "StateMachine",
        "its states are the variants of an enum; declare `enum State { A, B, ... }`",
        errors,
    )?;
    let mut options = MachineOptions::default();
    let mut seen_attr = false;
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("state_machine"))
    {
        seen_attr = true;
        if let Err(error) =
            attr.parse_nested_meta(|meta| parse_machine_option(&meta, &mut options, errors))
        {
            errors.push(error);
        }
    }
    if !seen_attr {
        errors.spanned(
            &input.ident,
            "`#[derive(StateMachine)]` needs its table: add \
             `#[state_machine(event = Event, initial = State, transitions = [State + Event => State, ...])]`",
        );
    }
    let states = data
        .variants
        .iter()
        .map(|variant| StateInput {
            variant,
            options: parse_state_options(&variant.attrs, errors),
        })
        .collect();
    Some(MachineInput {
        input,
        options,
        states,
    })
}

fn once<T>(
    slot: &mut Option<T>,
    value: T,
    meta: &ParseNestedMeta<'_>,
    key: &str,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.push(meta.error(format!("`{key}` is given more than once; keep one")));
    } else {
        *slot = Some(value);
    }
}

fn parse_machine_option(
    meta: &ParseNestedMeta<'_>,
    options: &mut MachineOptions,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    match key.as_str() {
        EVENT => {
            let ty = value(meta, EVENT, "EventEnum")?;
            once(&mut options.event, ty, meta, EVENT, errors);
        }
        CONTEXT => {
            let ty = value(meta, CONTEXT, "ContextType")?;
            once(&mut options.context, ty, meta, CONTEXT, errors);
        }
        INITIAL => {
            let ident = value(meta, INITIAL, "State")?;
            once(&mut options.initial, ident, meta, INITIAL, errors);
        }
        TRANSITIONS => {
            if !meta.input.peek(Token![=]) {
                return Err(meta
                    .error("`transitions` needs a table: `transitions = [A + Event => B, ...]`"));
            }
            meta.input.parse::<Token![=]>()?;
            let content;
            bracketed!(content in meta.input);
            let rows = Punctuated::<RowSyntax, Token![,]>::parse_terminated(&content)?;
            if options.transitions_key.is_some() {
                errors.push(
                    meta.error("`transitions` is given more than once; put every row in one table"),
                );
            }
            options.transitions_key = meta.path.get_ident().cloned();
            options.rows.extend(rows);
        }
        SUPERSTATE => {
            let content;
            syn::parenthesized!(content in meta.input);
            options.superstates.push(parse_superstate(&content)?);
        }
        EXHAUSTIVE => options.exhaustive = true,
        CRATE => {
            let path = value(meta, CRATE, "path::to::patternkit")?;
            once(&mut options.krate, path, meta, CRATE, errors);
        }
        _ => {
            errors.push(meta.error(
                "unknown `#[state_machine]` option; expected `event = Type`, `context = Type`, \
                 `initial = State`, `transitions = [...]`, `superstate(...)`, `exhaustive` or \
                 `crate = path`",
            ));
            skip_value(meta.input)?;
        }
    }
    Ok(())
}

/// Steps over what follows an unknown key, so the options after it are still read.
fn skip_value(input: ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

fn parse_superstate(input: ParseStream<'_>) -> syn::Result<SuperstateSyntax> {
    let name: Ident = input.parse()?;
    let mut superstate = SuperstateSyntax {
        name,
        initial: None,
        states: Vec::new(),
        entry: None,
        exit: None,
    };
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        if key == INITIAL {
            superstate.initial = Some(input.parse()?);
        } else if key == STATES {
            let content;
            bracketed!(content in input);
            superstate.states = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect();
        } else if key == ENTRY {
            superstate.entry = Some(input.parse()?);
        } else if key == EXIT {
            superstate.exit = Some(input.parse()?);
        } else {
            return Err(syn::Error::new_spanned(
                key,
                "unknown `superstate` option; expected `initial = State`, `states = [...]`, \
                 `entry = path` or `exit = path`",
            ));
        }
    }
    Ok(superstate)
}

fn parse_state_options(attrs: &[Attribute], errors: &mut Errors) -> StateOptions {
    let mut options = StateOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("state")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                ENTRY => {
                    let path = value(&meta, ENTRY, "path::to::hook")?;
                    once(&mut options.entry, path, &meta, ENTRY, errors);
                }
                EXIT => {
                    let path = value(&meta, EXIT, "path::to::hook")?;
                    once(&mut options.exit, path, &meta, EXIT, errors);
                }
                FINAL => options.is_final = true,
                ALLOW_UNREACHABLE => options.allow_unreachable = true,
                _ => {
                    errors.push(meta.error(
                        "unknown `#[state]` option; expected `entry = path`, `exit = path`, \
                         `final` or `allow_unreachable`",
                    ));
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    options
}
