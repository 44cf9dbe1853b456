//! The validated machine: states and superstates by index, rows resolved to them.

use proc_macro2::{Group, TokenStream};
use syn::{Field, Generics, Ident, Path, Type, Visibility};

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
    pub(super) entry: Option<&'a Path>,
    pub(super) exit: Option<&'a Path>,
    pub(super) is_final: bool,
    pub(super) allow_unreachable: bool,
    pub(super) parent: Option<usize>,
}

pub(super) struct Superstate<'a> {
    pub(super) ident: &'a Ident,
    pub(super) initial: Node,
    pub(super) entry: Option<&'a Path>,
    pub(super) exit: Option<&'a Path>,
    pub(super) parent: Option<usize>,
}

pub(super) struct Row<'a> {
    /// The states the row applies to, in declaration order.
    pub(super) sources: Vec<usize>,
    /// What the row names as its source: `_`, or states and superstates (how specific it is
    /// for a given state is [`Machine::distance`]).
    pub(super) source: Source,
    pub(super) source_text: String,
    pub(super) event: &'a Ident,
    pub(super) event_fields: Option<&'a Group>,
    /// `None` for an internal transition.
    pub(super) target: Option<Node>,
    pub(super) target_text: Option<String>,
    /// The state entered: the target, or its initial state when it is a superstate.
    pub(super) enters: Option<usize>,
    pub(super) guard: Option<&'a Path>,
    pub(super) action: Option<&'a Path>,
    pub(super) tokens: &'a TokenStream,
}

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
    pub(super) krate: CratePath,
    pub(super) states: Vec<State<'a>>,
    pub(super) superstates: Vec<Superstate<'a>>,
    pub(super) initial: usize,
    pub(super) rows: Vec<Row<'a>>,
    pub(super) exhaustive: bool,
    /// Every event the table names, in the order it first names them (filled by `indexed`).
    pub(super) events: Vec<&'a Ident>,
    /// For each state and event (by index into `events`), the rows to try, in order (filled
    /// by `indexed`). Computed once: every check and every expansion reads it.
    pub(super) candidates: Vec<Vec<Vec<usize>>>,
}

impl Machine<'_> {
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

    /// The rows that apply to `state` for `event`, in the order they are tried: the most
    /// specific source first, then table order.
    pub(super) fn candidates(&self, state: usize, event: &Ident) -> &[usize] {
        self.events
            .iter()
            .position(|e| *e == event)
            .and_then(|e| self.candidates.get(state)?.get(e))
            .map_or(&[], Vec::as_slice)
    }

    /// Every event the table names, in the order it first names them.
    pub(super) fn events(&self) -> &[&Ident] {
        &self.events
    }

    /// Fills `events` and `candidates`.
    pub(super) fn indexed(mut self) -> Self {
        let mut events: Vec<&Ident> = Vec::new();
        for row in &self.rows {
            if !events.contains(&row.event) {
                events.push(row.event);
            }
        }
        let mut table: Vec<Vec<Vec<(usize, usize)>>> =
            vec![vec![Vec::new(); events.len()]; self.states.len()];
        for (state, per_event) in table.iter_mut().enumerate() {
            let ancestors = self.ancestors(state);
            for (index, row) in self.rows.iter().enumerate() {
                if let (Some(distance), Some(event)) = (
                    distance(row, state, &ancestors),
                    events.iter().position(|e| *e == row.event),
                ) {
                    per_event[event].push((distance, index));
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
                        rows.into_iter().map(|(_, index)| index).collect()
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

    pub(super) fn node_name(&self, node: Node) -> String {
        match node {
            Node::State(i) => self.states[i].ident.to_string(),
            Node::Super(i) => self.superstates[i].ident.to_string(),
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

/// A path as the user wrote it, without the spaces token printing adds: `a::b`.
pub(super) fn path_text(path: &Path) -> String {
    type_key(path)
}
