//! One row of the table as written: `Sources + Event => Target if guard then action`.

use proc_macro2::{Group, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Path, Token};

use super::guard::GuardExpr;
use super::tokens::parse_await;

mod kw {
    syn::custom_keyword!(then);
    syn::custom_keyword!(output);
}

/// Where a row starts.
pub(super) enum SourceSyntax {
    /// `_`: every state.
    Any,
    /// `A` or `A | B`: states or superstates by name.
    Named(Vec<Ident>),
}

/// `Unlock` or `Unlock(1234)` or `Unlock { code, .. }`: a variant of the event enum with an
/// optional pattern on its fields; or `_`, every event.
pub(super) struct EventSyntax {
    pub(super) variant: Option<Ident>,
    pub(super) fields: Option<Group>,
}

/// One row: `Sources + Event => Target if guard then action`.
pub(super) struct RowSyntax {
    pub(super) source: SourceSyntax,
    pub(super) event: EventSyntax,
    /// `None` for `=> _`, an internal transition.
    pub(super) target: Option<Ident>,
    pub(super) guard: Option<GuardExpr>,
    /// `then a` or `then (a, b)`: every action but the last take only the event (and the
    /// context); the last follows the table's rules for data.
    pub(super) actions: Actions,
    /// `output Value`: what the row gives back when it fires, with the keyword to point at.
    pub(super) output: Option<(kw::output, crate::expr::Expr)>,
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
        let variant = if input.peek(Token![_]) {
            input.parse::<Token![_]>()?;
            None
        } else {
            Some(input.parse::<Ident>()?)
        };
        let fields = if variant.is_some()
            && (input.peek(syn::token::Paren) || input.peek(syn::token::Brace))
        {
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
            Some(input.parse::<GuardExpr>()?)
        } else {
            None
        };
        let actions = parse_actions(input)?;
        let output = if input.peek(kw::output) {
            let keyword = input.parse::<kw::output>()?;
            let value = input.parse::<crate::expr::Expr>().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected the row's output after `output`: a variant of the output type \
                     (`output StartTimer`) or a constant of it",
                )
            })?;
            Some((keyword, value))
        } else {
            None
        };
        if !input.is_empty() && !input.peek(Token![,]) {
            return Err(input.error(
                "expected `,`, `if guard`, `then action` or `output Value` after the target; a \
                 row reads `Source + Event => Target if guard then action output Value`",
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
            actions,
            output,
            tokens,
        })
    }
}

/// What an action is given from the row: the event, or the arguments written after it.
pub(super) type ActionArgs = Option<Punctuated<crate::expr::Expr, Token![,]>>;

/// A row's actions as written.
#[derive(Default)]
pub(super) struct Actions {
    pub(super) paths: Vec<Path>,
    /// For each of `paths`, `Some(args)` for `action(args)`, which is given those values (the
    /// pattern's bindings, say) instead of the event.
    pub(super) args: Vec<ActionArgs>,
    /// For each of `paths`, whether it is awaited (`action.await`).
    pub(super) awaited: Vec<bool>,
    /// The `&` of the last action, when it borrows the state's data.
    pub(super) lends: Option<Token![&]>,
    /// The `?` of the action, when it returns a `Result` (it is then the row's only action).
    pub(super) fallible: Option<Token![?]>,
}

/// `then a`, `then &a`, `then a?` or `then (a, b, &c)`.
fn parse_actions(input: ParseStream<'_>) -> syn::Result<Actions> {
    if !input.peek(kw::then) {
        return Ok(Actions::default());
    }
    input.parse::<kw::then>()?;
    if !input.peek(syn::token::Paren) {
        let action: ActionSyntax = input.parse()?;
        return Ok(Actions {
            paths: vec![action.path],
            args: vec![action.args],
            awaited: vec![action.awaited],
            lends: action.lends,
            fallible: action.fallible,
        });
    }
    let content;
    syn::parenthesized!(content in input);
    let actions = Punctuated::<ActionSyntax, Token![,]>::parse_terminated(&content)?;
    let count = actions.len();
    let mut all = Actions::default();
    for (index, action) in actions.into_iter().enumerate() {
        if let Some(question) = action.fallible {
            return Err(syn::Error::new(
                question.span,
                "a fallible action must be the row's only action, so that its failure leaves \
                 everything as it was: `then action?`",
            ));
        }
        match action.lends {
            Some(amp) if index + 1 < count => {
                return Err(syn::Error::new(
                    amp.span,
                    "only the last action receives the state's data, so only it can borrow \
                     it: remove this `&`",
                ));
            }
            Some(amp) => all.lends = Some(amp),
            None => {}
        }
        all.paths.push(action.path);
        all.args.push(action.args);
        all.awaited.push(action.awaited);
    }
    if all.paths.is_empty() {
        return Err(content.error("`then ()` names no action: `then (a, b)`"));
    }
    Ok(all)
}

/// An action path, `&` before it when it borrows the state's data, and the values it is
/// given in place of the event: `then &credit(amount).await?`.
struct ActionSyntax {
    lends: Option<Token![&]>,
    path: Path,
    args: ActionArgs,
    awaited: bool,
    fallible: Option<Token![?]>,
}

impl Parse for ActionSyntax {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lends = input.parse()?;
        let path = input.parse()?;
        let args = if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Some(Punctuated::parse_terminated(&content)?)
        } else {
            None
        };
        Ok(Self {
            lends,
            path,
            args,
            awaited: parse_await(input)?,
            fallible: input.parse()?,
        })
    }
}
