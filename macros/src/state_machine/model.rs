//! The validated machine: states and superstates by index, rows resolved to them.

use crate::ident_name::{name_of, same_name};
use proc_macro2::{Group, TokenStream};
use quote::quote;
use syn::{Field, Generics, Ident, Path, Type, Visibility};

use crate::expr::Expr;

use super::event_type::EventNaming;
use super::guard::GuardExpr;
use super::parse::{Callbacks, HookSyntax};
use crate::krate::CratePath;
use crate::type_key::type_key;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Node {
    State(usize),
    Super(usize),
}

pub(super) struct State<'a> {
    pub(super) ident: &'a Ident,
    /// The one field of a state that carries data.
    pub(super) data: Option<&'a Field>,
    pub(super) named: bool,
    pub(super) entry: Option<&'a HookSyntax>,
    pub(super) exit: Option<&'a HookSyntax>,
    pub(super) is_final: bool,
    pub(super) allow_unreachable: bool,
    /// The events this state defers.
    pub(super) defer: &'a [Ident],
    pub(super) parent: Option<usize>,
}

pub(super) struct Superstate<'a> {
    pub(super) ident: &'a Ident,
    pub(super) initial: Node,
    pub(super) entry: Option<&'a Path>,
    pub(super) exit: Option<&'a Path>,
    pub(super) parent: Option<usize>,
    /// `history = ..`: re-entered where it was left.
    pub(super) history: Option<History<'a>>,
}

/// A superstate's history as declared, with the word to point at.
#[derive(Clone, Copy)]
pub(super) struct History<'a> {
    /// `deep`: the very state last active; `shallow`: the node directly inside.
    pub(super) deep: bool,
    pub(super) word: &'a Ident,
}

#[derive(Clone)]
pub(super) struct Row<'a> {
    /// The states the row applies to, in declaration order.
    pub(super) sources: Vec<usize>,
    /// What the row names as its source: `_`, or states and superstates (how specific it is
    /// for a given state is [`Machine::distance`]).
    pub(super) source: Source,
    pub(super) source_text: String,
    /// `None` for `_`, every event.
    pub(super) event: Option<&'a Ident>,
    pub(super) event_fields: Option<&'a Group>,
    /// `None` for an internal transition.
    pub(super) target: Option<Node>,
    pub(super) target_text: Option<String>,
    /// The state entered: the target, or its initial state when it is a superstate.
    pub(super) enters: Option<usize>,
    pub(super) guard: Option<&'a GuardExpr>,
    /// The actions before the last, which take only the event (and the context).
    pub(super) pre_actions: &'a [Path],
    /// The last action, which follows the table's rules for data.
    pub(super) action: Option<&'a Path>,
    /// For each of `pre_actions` then `action`, whether it is awaited.
    pub(super) awaited: &'a [bool],
    /// For each of `pre_actions` then `action`, the values written after it, which it is
    /// given instead of the event.
    pub(super) args: &'a [super::row::ActionArgs],
    /// `then &action`: the action borrows the source's data instead of taking it.
    pub(super) lends: bool,
    /// `then action?`: the action returns a `Result` and runs before anything else.
    pub(super) fallible: bool,
    /// `output Value`: what the row gives back when it fires.
    pub(super) output: Option<&'a Expr>,
    pub(super) tokens: &'a TokenStream,
}

impl Row<'_> {
    /// Whether the row's last action is awaited.
    pub(super) fn action_awaits(&self) -> bool {
        self.awaited.last() == Some(&true)
    }

    /// What action `index` (of `pre_actions` then `action`) is given from the row, as its
    /// parameter types and its arguments: `&Event` and `event`, or the values written after
    /// it, their types inferred.
    pub(super) fn event_part(
        &self,
        event: &syn::Type,
        index: usize,
    ) -> (Vec<proc_macro2::TokenStream>, Vec<proc_macro2::TokenStream>) {
        match self.args.get(index).and_then(Option::as_ref) {
            None => (vec![quote::quote!(&#event)], vec![quote::quote!(event)]),
            Some(args) => (
                args.iter().map(|_| quote::quote!(_)).collect(),
                args.iter().map(|arg| quote::quote!(#arg)).collect(),
            ),
        }
    }

    /// [`Row::event_part`] of the last action.
    pub(super) fn action_event_part(
        &self,
        event: &syn::Type,
    ) -> (Vec<proc_macro2::TokenStream>, Vec<proc_macro2::TokenStream>) {
        self.event_part(event, self.pre_actions.len())
    }

    /// The event as written: its variant, or `_`.
    pub(super) fn event_text(&self) -> String {
        event_text(self.event)
    }

    /// No guard and no pattern on the event's fields: the row fires whenever it is tried.
    pub(super) fn always_fires(&self) -> bool {
        self.guard.is_none() && self.event_fields.is_none()
    }
}

#[derive(Clone)]
pub(super) enum Source {
    Any,
    Nodes(Vec<Node>),
}

pub(super) struct Machine<'a> {
    pub(super) ident: &'a Ident,
    pub(super) vis: &'a Visibility,
    pub(super) generics: &'a Generics,
    pub(super) event: &'a Type,
    pub(super) context: Option<&'a Type>,
    /// `error = E`: what fallible guards and actions return.
    pub(super) error: Option<&'a Type>,
    /// `output = T`: what rows give back with `output Value`.
    pub(super) output: Option<&'a Type>,
    pub(super) krate: CratePath,
    pub(super) states: Vec<State<'a>>,
    pub(super) superstates: Vec<Superstate<'a>>,
    pub(super) initial: usize,
    /// The initial state's data, when `initial = State(data)` gives it.
    pub(super) initial_data: Option<&'a Expr>,
    pub(super) rows: Vec<Row<'a>>,
    pub(super) exhaustive: bool,
    pub(super) callbacks: &'a Callbacks,
    /// `dispatch = table | match`: how `fire` finds the row, when the table says.
    pub(super) dispatch: Option<&'a Ident>,
    /// Every event the table names, in the order it first names them (filled by `indexed`).
    pub(super) events: Vec<&'a Ident>,
    /// For each state and event (by index into `events`), the rows to try, in order (filled
    /// by `indexed`). Computed once: every check and every expansion reads it.
    pub(super) candidates: Vec<Vec<Vec<usize>>>,
    /// How patterns name the event type.
    pub(super) event_naming: EventNaming,
}

impl Machine<'_> {
    /// The superstate with history that `row` enters, if its target is one.
    pub(super) fn history_target(&self, row: &Row<'_>) -> Option<(usize, History<'_>)> {
        match row.target? {
            Node::Super(index) => self.superstates[index].history.map(|h| (index, h)),
            Node::State(_) => None,
        }
    }

    /// What `dispatch = ..` asks for: `Some(true)` the table, `Some(false)` the `match`.
    pub(super) fn wants_table(&self) -> Option<bool> {
        self.dispatch.map(|word| word == "table")
    }

    /// Whether any superstate has a history.
    pub(super) fn has_history(&self) -> bool {
        self.superstates.iter().any(|s| s.history.is_some())
    }

    /// Whether leaving `node` is remembered: a superstate with history.
    pub(super) fn remembers(&self, node: Node) -> bool {
        matches!(node, Node::Super(index) if self.superstates[index].history.is_some())
    }

    /// For the superstate `superstate` with history: each state it can be re-entered at,
    /// with the states whose memory leads there — for `deep` history the state itself, for
    /// `shallow` every state inside the same node directly inside the superstate, whose
    /// initial state is entered.
    pub(super) fn history_entries(
        &self,
        superstate: usize,
        deep: bool,
    ) -> Vec<(usize, Vec<usize>)> {
        let mut entries: Vec<(usize, Vec<usize>)> = Vec::new();
        for state in 0..self.states.len() {
            let ancestors = self.ancestors(state);
            let Some(depth) = ancestors.iter().position(|&s| s == superstate) else {
                continue;
            };
            let entered = if deep || depth == 0 {
                state
            } else {
                self.initial_leaf(Node::Super(ancestors[depth - 1]))
            };
            match entries.iter_mut().find(|(e, _)| *e == entered) {
                Some((_, remembered)) => remembered.push(state),
                None => entries.push((entered, vec![state])),
            }
        }
        entries
    }

    /// The rows a history makes of the rows into superstates with history: (row, state
    /// entered) for every state other than the row's own `enters`, in table order. `Fired`
    /// names the `k`th as row `TRANSITIONS.len() + k`.
    pub(super) fn history_rows(&self) -> Vec<(usize, usize)> {
        let mut rows = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            if let Some((superstate, history)) = self.history_target(row) {
                for (entered, _) in self.history_entries(superstate, history.deep) {
                    if Some(entered) != row.enters {
                        rows.push((index, entered));
                    }
                }
            }
        }
        rows
    }

    /// `node`'s initial state, following initial superstates inwards.
    pub(super) fn initial_leaf(&self, node: Node) -> usize {
        let mut node = node;
        for _ in 0..=self.superstates.len() {
            match node {
                Node::State(index) => return index,
                Node::Super(index) => node = self.superstates[index].initial,
            }
        }
        0
    }

    /// The superstates around `state`, innermost first.
    pub(super) fn ancestors(&self, state: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut parent = self.states[state].parent;
        while let Some(index) = parent {
            if chain.contains(&index) {
                break;
            }
            chain.push(index);
            parent = self.superstates[index].parent;
        }
        chain
    }

    /// How far from `state` the row's source is: 0 when it names the state, `n` when it
    /// names its `n`th superstate, `None` when the row does not apply, and a large number for
    /// `_`.
    pub(super) fn distance(&self, row: &Row<'_>, state: usize) -> Option<usize> {
        distance(row, state, &self.ancestors(state))
    }

    /// The rows that apply to `state` for `event` (`None`: an event the table does not name),
    /// in the order they are tried: the most specific source first, at one level rows naming
    /// the event before `_` rows, then table order.
    pub(super) fn candidates(&self, state: usize, event: Option<&Ident>) -> &[usize] {
        let slot = match event {
            // Callers mostly pass one of `events` itself: found by address, nothing is
            // asked of the compiler.
            Some(event) => self
                .events
                .iter()
                .position(|e| std::ptr::eq(*e, event))
                .or_else(|| self.events.iter().position(|e| same_name(e, event))),
            None => Some(self.events.len()),
        };
        slot.and_then(|e| self.candidates.get(state)?.get(e))
            .map_or(&[], Vec::as_slice)
    }

    /// The rows that can actually fire for `state` and `event`: the candidates up to and
    /// including the first that always fires (no guard, no pattern on the event's fields).
    /// Rows after it never run, so nothing is generated, checked or drawn for them.
    pub(super) fn tried(&self, state: usize, event: Option<&Ident>) -> &[usize] {
        let rows = self.candidates(state, event);
        rows.iter()
            .position(|&index| self.rows[index].always_fires())
            .map_or(rows, |last| &rows[..=last])
    }

    /// Whether row `index` can fire in `state` (for a `_` row: for some event).
    pub(super) fn fires_in(&self, index: usize, state: usize) -> bool {
        self.event_slots()
            .any(|event| self.tried(state, event).contains(&index))
    }

    /// Every event the table names, then `None` for the events it does not name.
    pub(super) fn event_slots(&self) -> impl Iterator<Item = Option<&Ident>> {
        self.events.iter().map(|e| Some(*e)).chain([None])
    }

    /// Every event the table names, in the order it first names them.
    pub(super) fn events(&self) -> &[&Ident] {
        &self.events
    }

    /// Fills `events` and `candidates`.
    pub(super) fn indexed(mut self) -> Self {
        let mut events: Vec<&Ident> = Vec::new();
        for row in &self.rows {
            if let Some(event) = row.event {
                if !events.iter().any(|known| same_name(known, event)) {
                    events.push(event);
                }
            }
        }
        // One slot per named event, and a last one for every other event.
        let mut table: Vec<Vec<Vec<(usize, bool, usize)>>> =
            vec![vec![Vec::new(); events.len() + 1]; self.states.len()];
        for (state, per_event) in table.iter_mut().enumerate() {
            let ancestors = self.ancestors(state);
            for (index, row) in self.rows.iter().enumerate() {
                let Some(distance) = distance(row, state, &ancestors) else {
                    continue;
                };
                match row.event {
                    Some(event) => {
                        if let Some(slot) = events.iter().position(|e| same_name(e, event)) {
                            per_event[slot].push((distance, false, index));
                        }
                    }
                    None => {
                        for slot in per_event.iter_mut() {
                            slot.push((distance, true, index));
                        }
                    }
                }
            }
        }
        self.candidates = table
            .into_iter()
            .map(|per_state| {
                per_state
                    .into_iter()
                    .map(|mut rows| {
                        rows.sort_unstable();
                        rows.into_iter().map(|(_, _, index)| index).collect()
                    })
                    .collect()
            })
            .collect();
        self.events = events;
        self
    }

    /// The one state whose data the row's action receives by value: a row from exactly one
    /// state, which carries data, to another state.
    pub(super) fn moved_source(&self, row: &Row<'_>) -> Option<usize> {
        match (&row.source, row.sources.as_slice()) {
            (Source::Nodes(nodes), [only])
                if nodes.len() == 1 && nodes[0] == Node::State(*only) =>
            {
                self.states[*only].data.map(|_| *only)
            }
            _ => None,
        }
    }

    /// Whether any state defers an event.
    pub(super) fn defers_any(&self) -> bool {
        self.states.iter().any(|state| !state.defer.is_empty())
    }

    /// Whether any guard, action or hook is awaited: `fire`, `start`, `next` and `can` are
    /// then `async fn`s, and the machine implements `MachineTable` but not the synchronous
    /// `StateMachine`.
    pub(super) fn is_async(&self) -> bool {
        self.rows
            .iter()
            .any(|row| row.awaited.contains(&true) || row.guard.is_some_and(GuardExpr::awaits))
            || self.states.iter().any(|state| {
                [state.entry, state.exit]
                    .into_iter()
                    .flatten()
                    .any(|hook| hook.awaited)
            })
    }

    /// Whether the event or context type borrows with an elided lifetime (`Input<'_>`): the
    /// machine then has its inherent functions and `MachineTable`, not `StateMachine`.
    pub(super) fn borrows(&self) -> bool {
        fn elided(tokens: TokenStream) -> bool {
            let mut tokens = tokens.into_iter().peekable();
            while let Some(token) = tokens.next() {
                match token {
                    proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'' => {
                        if matches!(tokens.peek(), Some(proc_macro2::TokenTree::Ident(i)) if i == "_")
                        {
                            return true;
                        }
                    }
                    proc_macro2::TokenTree::Group(g) if elided(g.stream()) => return true,
                    _ => {}
                }
            }
            false
        }
        let event = self.event;
        elided(quote!(#event)) || self.context.is_some_and(|c| elided(quote!(#c)))
    }

    /// The error type of fallible guards and actions (`error = E`; `()` when the table has
    /// none, which validation reports if any `?` needs it).
    pub(super) fn error_type(&self) -> TokenStream {
        self.error.map_or_else(|| quote!(()), |ty| quote!(#ty))
    }

    /// What `fire` returns on failure: `InvalidTransition<Self>`, or `FireError<Self, E>` when
    /// the table declares `error = E`.
    pub(super) fn fire_error(&self, private: &TokenStream) -> TokenStream {
        match self.error {
            Some(error) => quote!(#private::FireError<Self, #error>),
            None => quote!(#private::InvalidTransition<Self>),
        }
    }

    pub(super) fn node_name(&self, node: Node) -> String {
        match node {
            Node::State(i) => name_of(self.states[i].ident),
            Node::Super(i) => name_of(self.superstates[i].ident),
        }
    }
}

/// How far from `state` (whose superstates, innermost first, are `ancestors`) the row's source
/// is; see [`Machine::distance`].
fn distance(row: &Row<'_>, state: usize, ancestors: &[usize]) -> Option<usize> {
    match &row.source {
        Source::Any => Some(usize::MAX),
        Source::Nodes(nodes) if nodes.contains(&Node::State(state)) => Some(0),
        Source::Nodes(nodes) => ancestors
            .iter()
            .position(|s| nodes.contains(&Node::Super(*s)))
            .map(|p| p + 1),
    }
}

/// An event slot as written: the variant, or `_` for the events the table does not name.
pub(super) fn event_text(event: Option<&Ident>) -> String {
    event.map_or_else(|| "_".to_owned(), name_of)
}

/// A path as the user wrote it, without the spaces token printing adds: `a::b`.
pub(super) fn path_text(path: &Path) -> String {
    type_key(path)
}
