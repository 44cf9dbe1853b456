//! `#[state_machine(...)]`, its transition table and `#[state(...)]` on variants, as written.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Ident, Path, Token, Type, Variant, bracketed};

use crate::expr::Expr;

use super::row::RowSyntax;
use crate::attr::{Attr, BoolAttr, Key, Reader, is_helper, key, skip_value};
use crate::derive_input::enum_data;
use crate::errors::Errors;
use crate::symbol::{
    ALLOW_UNREACHABLE, BEFORE_EVENT, CONTEXT, CRATE, DEFER, DISPATCH, ENTRY, ERROR, EVENT,
    EXHAUSTIVE, EXIT, FINAL, HISTORY, INITIAL, LOG, ON_TRANSITION, ON_UNHANDLED, OUTPUT, STATE,
    STATE_MACHINE, STATES, SUPERSTATE, TRANSITIONS,
};

/// `initial = State`, or `initial = State(expr)` with the state's data.
pub(super) struct InitialSyntax {
    pub(super) state: Ident,
    pub(super) data: Option<Expr>,
}

impl Parse for InitialSyntax {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let state = input.parse()?;
        let data = if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Some(content.parse()?)
        } else {
            None
        };
        Ok(Self { state, data })
    }
}

/// `superstate(Name, initial = A, states = [A, B], entry = f, exit = g)`.
pub(super) struct SuperstateSyntax {
    pub(super) name: Ident,
    pub(super) initial: Option<Ident>,
    pub(super) states: Vec<Ident>,
    pub(super) entry: Option<Path>,
    pub(super) exit: Option<Path>,
    /// `history = shallow` or `history = deep`, as written.
    pub(super) history: Option<Ident>,
}

#[derive(Default)]
pub(super) struct MachineOptions {
    pub(super) event: Option<Type>,
    pub(super) context: Option<Type>,
    pub(super) error: Option<Type>,
    /// `output = Type`: what rows give back with `output Value`.
    pub(super) output: Option<Type>,
    pub(super) initial: Option<InitialSyntax>,
    pub(super) rows: Vec<RowSyntax>,
    pub(super) transitions_key: Option<Ident>,
    pub(super) superstates: Vec<SuperstateSyntax>,
    pub(super) exhaustive: bool,
    pub(super) krate: Option<Path>,
    pub(super) callbacks: Callbacks,
    /// `dispatch = table` or `dispatch = match`, as written.
    pub(super) dispatch: Option<Ident>,
}

/// A word, keywords included (`match`).
struct Word(Ident);

impl Parse for Word {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        syn::ext::IdentExt::parse_any(input).map(Word)
    }
}

/// Machine-level callbacks: before each event, after an accepted one, after a rejected one.
#[derive(Default)]
pub(super) struct Callbacks {
    pub(super) before_event: Option<Path>,
    pub(super) on_transition: Option<Path>,
    pub(super) on_unhandled: Option<Path>,
    /// `log`: each of them also written through the `log` facade.
    pub(super) log: bool,
}

impl Callbacks {
    pub(super) fn any(&self) -> bool {
        self.log
            || self.before_event.is_some()
            || self.on_transition.is_some()
            || self.on_unhandled.is_some()
    }
}

/// A state's hook: `path`, or `&path` for a hook that reads the state's data.
pub(super) struct HookSyntax {
    pub(super) reads: Option<Token![&]>,
    pub(super) path: Path,
    /// `hook.await`: an `async fn`.
    pub(super) awaited: bool,
}

impl Parse for HookSyntax {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        Ok(Self {
            reads: input.parse()?,
            path: input.parse()?,
            awaited: super::tokens::parse_await(input)?,
        })
    }
}

#[derive(Default)]
pub(super) struct StateOptions {
    pub(super) entry: Option<HookSyntax>,
    pub(super) exit: Option<HookSyntax>,
    pub(super) is_final: bool,
    pub(super) allow_unreachable: bool,
    /// Events this state defers: kept by `Deferring` and tried again after the next
    /// transition.
    pub(super) defer: Vec<Ident>,
}

pub(super) struct StateInput<'a> {
    pub(super) variant: &'a Variant,
    pub(super) options: StateOptions,
}

pub(super) struct MachineInput<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) options: MachineOptions,
    pub(super) states: Vec<StateInput<'a>>,
    /// The derive is on a struct or union (an error says so): only the fallback is expanded.
    pub(super) not_an_enum: bool,
}

pub(super) fn parse_machine<'a>(input: &'a DeriveInput, errors: &mut Errors) -> MachineInput<'a> {
    let Some(data) = enum_data(
        input,
        "StateMachine",
        "its states are the variants of an enum; declare `enum State { A, B, ... }`",
        errors,
    ) else {
        // A struct or union gets the machine's functions all the same (see `fallback`), so
        // the code using it adds no errors; its options are read, not checked, until it is
        // an enum.
        return MachineInput {
            input,
            options: parse_machine_options(&input.attrs, &mut Errors::default()),
            states: Vec::new(),
            not_an_enum: true,
        };
    };
    let seen_attr = input
        .attrs
        .iter()
        .any(|a| is_helper(a, STATE_MACHINE, &[STATE_MACHINE]));
    let options = parse_machine_options(&input.attrs, errors);
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
    MachineInput {
        input,
        options,
        states,
        not_an_enum: false,
    }
}

const MACHINE_KEYS: &[Key] = &[
    key(EVENT, "event = Type"),
    key(CONTEXT, "context = Type"),
    key(ERROR, "error = Type"),
    key(OUTPUT, "output = Type"),
    key(INITIAL, "initial = State"),
    key(TRANSITIONS, "transitions = [..]"),
    key(SUPERSTATE, "superstate(..)"),
    key(EXHAUSTIVE, "exhaustive"),
    key(BEFORE_EVENT, "before_event = path"),
    key(ON_TRANSITION, "on_transition = path"),
    key(ON_UNHANDLED, "on_unhandled = path"),
    key(LOG, "log"),
    key(DISPATCH, "dispatch = table | match"),
    key(CRATE, "crate = path"),
];

const SUPERSTATE_KEYS: &[Key] = &[
    key(INITIAL, "initial = State"),
    key(STATES, "states = [..]"),
    key(ENTRY, "entry = path"),
    key(EXIT, "exit = path"),
    key(HISTORY, "history = shallow | deep"),
];

const STATE_KEYS: &[Key] = &[
    key(ENTRY, "entry = path"),
    key(EXIT, "exit = path"),
    key(FINAL, "final"),
    key(ALLOW_UNREACHABLE, "allow_unreachable"),
    key(DEFER, "defer = [Event, ..]"),
];

fn parse_machine_options(attrs: &[Attribute], errors: &mut Errors) -> MachineOptions {
    let mut event = Attr::default();
    let mut context_type = Attr::default();
    let mut error_type = Attr::default();
    let mut output_type = Attr::default();
    let mut initial = Attr::default();
    let mut transitions = Attr::default();
    let mut rows = Vec::new();
    let mut superstates = Vec::new();
    let mut exhaustive = BoolAttr::default();
    let mut krate = Attr::default();
    let mut before_event = Attr::default();
    let mut on_transition = Attr::default();
    let mut on_unhandled = Attr::default();
    let mut log = BoolAttr::default();
    let mut dispatch = Attr::default();
    let reader = Reader {
        attr: STATE_MACHINE,
        place: None,
        keys: MACHINE_KEYS,
        hint: None,
    };
    reader.read_attrs(attrs, errors, |opt, errors| {
        let key = &opt.key;
        if key == EVENT {
            event.set(key, opt.value("EventEnum")?, errors);
        } else if key == CONTEXT {
            context_type.set(key, opt.value("ContextType")?, errors);
        } else if key == ERROR {
            error_type.set(key, opt.value("ErrorType")?, errors);
        } else if key == OUTPUT {
            output_type.set(key, opt.value("OutputType")?, errors);
        } else if key == INITIAL {
            initial.set(key, opt.value("State")?, errors);
        } else if key == TRANSITIONS {
            let input = opt.input();
            if !input.peek(Token![=]) {
                return Err(syn::Error::new_spanned(
                    key,
                    "`transitions` needs a table: `transitions = [A + Event => B, ...]`",
                ));
            }
            input.parse::<Token![=]>()?;
            let content;
            bracketed!(content in input);
            // Rows of a repeated table are still read, so that its states count as used.
            rows.extend(Punctuated::<RowSyntax, Token![,]>::parse_terminated(
                &content,
            )?);
            transitions.set(key, (), errors);
        } else if key == SUPERSTATE {
            let content;
            syn::parenthesized!(content in opt.input());
            superstates.push(parse_superstate(&content, errors)?);
        } else if key == EXHAUSTIVE {
            opt.flag()?;
            exhaustive.set_true(key, errors);
        } else if key == BEFORE_EVENT {
            before_event.set(key, opt.value("path::to::callback")?, errors);
        } else if key == ON_TRANSITION {
            on_transition.set(key, opt.value("path::to::callback")?, errors);
        } else if key == ON_UNHANDLED {
            on_unhandled.set(key, opt.value("path::to::callback")?, errors);
        } else if key == LOG {
            opt.flag()?;
            log.set_true(key, errors);
        } else if key == DISPATCH {
            let Word(word) = opt.value("table")?;
            if word == "table" || word == "match" {
                dispatch.set(key, word, errors);
            } else {
                errors.spanned(
                    &word,
                    "`dispatch` is `table` (fire by one lookup in a table of cells, fastest when \
                     events come in no order a branch predictor learns) or `match` (one `match`, \
                     fastest when they do); without it the derive chooses by the table's size",
                );
            }
        } else {
            krate.set(key, opt.value("path::to::patternkit")?, errors);
        }
        Ok(())
    });
    MachineOptions {
        event: event.get(),
        context: context_type.get(),
        error: error_type.get(),
        output: output_type.get(),
        initial: initial.get(),
        transitions_key: transitions.given().map(|given| given.key),
        rows,
        superstates,
        exhaustive: exhaustive.get(),
        krate: krate.get(),
        callbacks: Callbacks {
            before_event: before_event.get(),
            on_transition: on_transition.get(),
            on_unhandled: on_unhandled.get(),
            log: log.get(),
        },
        dispatch: dispatch.get(),
    }
}

fn parse_superstate(input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<SuperstateSyntax> {
    let reader = Reader {
        attr: STATE_MACHINE,
        place: Some("a superstate"),
        keys: SUPERSTATE_KEYS,
        hint: None,
    };
    let name: Ident = input.parse()?;
    let mut superstate = SuperstateSyntax {
        name,
        initial: None,
        states: Vec::new(),
        entry: None,
        exit: None,
        history: None,
    };
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key: Ident = input.parse()?;
        if !SUPERSTATE_KEYS.iter().any(|k| key == k.name) {
            errors.push(reader.unknown(&key.clone().into()));
            skip_value(input)?;
            continue;
        }
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
        } else if key == HISTORY {
            let kind: Ident = input.parse()?;
            if kind == "shallow" || kind == "deep" {
                superstate.history = Some(kind);
            } else {
                errors.spanned(
                    &kind,
                    "a superstate's history is `shallow` (re-entered at the state or superstate \
                     directly inside it that was last active) or `deep` (at the very state last \
                     active)",
                );
            }
        } else {
            superstate.exit = Some(input.parse()?);
        }
    }
    Ok(superstate)
}

fn parse_state_options(attrs: &[Attribute], errors: &mut Errors) -> StateOptions {
    let mut entry = Attr::default();
    let mut exit = Attr::default();
    let mut is_final = BoolAttr::default();
    let mut allow_unreachable = BoolAttr::default();
    let mut defer = Attr::default();
    let reader = Reader {
        attr: STATE,
        place: None,
        keys: STATE_KEYS,
        hint: None,
    };
    reader.read_attrs(attrs, errors, |opt, errors| {
        let key = &opt.key;
        if key == ENTRY {
            entry.set(key, opt.value("path::to::hook")?, errors);
        } else if key == EXIT {
            exit.set(key, opt.value("path::to::hook")?, errors);
        } else if key == FINAL {
            opt.flag()?;
            is_final.set_true(key, errors);
        } else if key == DEFER {
            defer.set(key, opt.value::<DeferSyntax>("[Event, ..]")?, errors);
        } else {
            opt.flag()?;
            allow_unreachable.set_true(key, errors);
        }
        Ok(())
    });
    StateOptions {
        entry: entry.get(),
        exit: exit.get(),
        is_final: is_final.get(),
        allow_unreachable: allow_unreachable.get(),
        defer: defer.get().map_or_else(Vec::new, |d: DeferSyntax| d.0),
    }
}

/// `[A, B]`: the events a state defers.
struct DeferSyntax(Vec<Ident>);

impl Parse for DeferSyntax {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        bracketed!(content in input);
        Ok(Self(
            Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect(),
        ))
    }
}
