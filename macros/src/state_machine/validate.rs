//! Names resolved: states and superstates, the initial state, each row's source and target.

use crate::ident_name::{name_of, same_name};
use syn::{Fields, Ident};

use super::event_type::{EventNaming, aliased};
use super::model::{Machine, Node, Row, Source, State, Superstate};
use super::parse::{InitialSyntax, MachineInput, SuperstateSyntax};
use super::row::SourceSyntax;
use crate::errors::Errors;
use crate::krate::CratePath;

pub(super) fn validate<'a>(
    input: &'a MachineInput<'a>,
    errors: &mut Errors,
) -> Option<Machine<'a>> {
    let derive = input.input;
    let options = &input.options;
    // Whole-table complaints only make sense when the table itself was read.
    let read_cleanly = errors.is_empty();
    // A state the macro cannot build would only add errors about generated code.
    let mut states = validate_states(input, errors)?;
    if states.is_empty() {
        errors.spanned(
            &derive.ident,
            format!(
                "`{}` has no states; add a variant for each state",
                derive.ident
            ),
        );
        return None;
    }
    let superstates = validate_superstates(input, &mut states, errors);
    let Some(event) = options.event.as_ref() else {
        errors.spanned(
            &derive.ident,
            "the table needs its event type: add `event = EventEnum` to `#[state_machine(...)]`",
        );
        return None;
    };
    let names = Names {
        machine: &derive.ident,
        states: &states,
        superstates: &superstates,
    };
    let initial = match &options.initial {
        Some(given) => names
            .resolve(&given.state, errors)
            .and_then(|node| initial_with_data(node, given, &names, errors)),
        None => {
            errors.spanned(
                &derive.ident,
                "the table needs its initial state: add `initial = State` to \
                 `#[state_machine(...)]`",
            );
            None
        }
    };
    let rows = validate_rows(input, &names, errors);
    if options.output.is_none() {
        for (keyword, _) in options.rows.iter().filter_map(|row| row.output.as_ref()) {
            errors.spanned(
                keyword,
                "this row gives an output, but the machine declares no output type: add \
                 `output = Type` to `#[state_machine(..)]`",
            );
        }
    }
    if options.error.is_none() && !fallible_without_error(input, errors) {
        return None;
    }
    if read_cleanly && options.rows.is_empty() && options.transitions_key.is_none() {
        errors.spanned(
            &derive.ident,
            "the table has no transitions: add `transitions = [State + Event => State, ...]`",
        );
    }
    let mut superstates = superstates;
    if options.context.is_none() {
        // Reported once here; the machine is then built without the history.
        for history in superstates.iter_mut().filter_map(|s| s.history.take()) {
            errors.spanned(
                history.word,
                format!(
                    "a superstate's history is kept in the machine's context: declare \
                     `context = History<{0}>` (`patternkit::state_machine::History`), or a \
                     context that holds one and implements `AsMut<History<{0}>>`",
                    derive.ident
                ),
            );
        }
    }
    Some(
        Machine {
            ident: &derive.ident,
            vis: &derive.vis,
            generics: &derive.generics,
            event,
            context: options.context.as_ref(),
            error: options.error.as_ref(),
            output: options.output.as_ref(),
            krate: CratePath::new(options.krate.as_ref()),
            states,
            superstates,
            initial: initial?,
            initial_data: options.initial.as_ref().and_then(|i| i.data.as_ref()),
            rows,
            exhaustive: options.exhaustive,
            callbacks: &options.callbacks,
            dispatch: options.dispatch.as_ref(),
            events: Vec::new(),
            candidates: Vec::new(),
            event_naming: EventNaming::new(event, aliased(event, &derive.generics)),
        }
        .indexed(),
    )
}

fn validate_states<'a>(input: &'a MachineInput<'a>, errors: &mut Errors) -> Option<Vec<State<'a>>> {
    let mut buildable = true;
    let states = input
        .states
        .iter()
        .map(|state| {
            let variant = state.variant;
            if variant.fields.len() > 1 {
                buildable = false;
                errors.spanned(
                    &variant.fields,
                    format!(
                        "the state `{}` holds {} fields; a state holds at most one, its data: \
                         put them in a struct, as in `{}({}Data)`",
                        variant.ident,
                        variant.fields.len(),
                        variant.ident,
                        variant.ident
                    ),
                );
            }
            for hook in [&state.options.entry, &state.options.exit]
                .into_iter()
                .flatten()
            {
                if let (Some(amp), true) = (&hook.reads, variant.fields.is_empty()) {
                    buildable = false;
                    errors.spanned(
                        amp,
                        format!(
                            "`&{}` gives the hook the state's data, but `{}` holds none; \
                             remove the `&`",
                            crate::type_key::type_key(&hook.path),
                            variant.ident
                        ),
                    );
                }
            }
            State {
                ident: &variant.ident,
                data: variant.fields.iter().next(),
                named: matches!(variant.fields, Fields::Named(_)),
                entry: state.options.entry.as_ref(),
                exit: state.options.exit.as_ref(),
                is_final: state.options.is_final,
                allow_unreachable: state.options.allow_unreachable,
                defer: &state.options.defer,
                parent: None,
            }
        })
        .collect();
    buildable.then_some(states)
}

/// The initial state: `node`'s leaf, which must hold data when `initial = State(data)` gives
/// it.
fn initial_with_data(
    node: Node,
    given: &InitialSyntax,
    names: &Names<'_, '_>,
    errors: &mut Errors,
) -> Option<usize> {
    let leaf = leaf_of(node, names.superstates);
    let Some(data) = &given.data else {
        return Some(leaf);
    };
    let state = &given.state;
    match node {
        Node::State(index) if names.states[index].data.is_some() => Some(leaf),
        Node::State(_) => {
            errors.spanned(
                data,
                format!("the state `{state}` holds no data to give; write `initial = {state}`"),
            );
            None
        }
        Node::Super(_) => {
            errors.spanned(
                data,
                format!(
                    "`{state}` is a superstate; give the data of a state: `initial = State(data)`"
                ),
            );
            None
        }
    }
}

/// Every `?` of a fallible guard or action needs the table's `error = E`; reports each one
/// when it is missing, and says whether there were none.
fn fallible_without_error(input: &MachineInput<'_>, errors: &mut Errors) -> bool {
    let mut clean = true;
    for row in &input.options.rows {
        let guards = row.guard.iter().flat_map(|guard| guard.fallible());
        for question in guards.chain(row.actions.fallible.as_ref()) {
            clean = false;
            errors.spanned(
                question,
                "`?` makes this guard or action fallible, returning `Result<_, E>`; declare \
                 `E` with `error = Type` in `#[state_machine(...)]`",
            );
        }
    }
    clean
}

/// States and superstates by name.
struct Names<'m, 'a> {
    machine: &'a Ident,
    states: &'m [State<'a>],
    superstates: &'m [Superstate<'a>],
}

impl Names<'_, '_> {
    fn resolve(&self, ident: &Ident, errors: &mut Errors) -> Option<Node> {
        if let Some(i) = self.states.iter().position(|s| same_name(s.ident, ident)) {
            return Some(Node::State(i));
        }
        if let Some(i) = self
            .superstates
            .iter()
            .position(|s| same_name(s.ident, ident))
        {
            return Some(Node::Super(i));
        }
        let names: Vec<String> = self
            .states
            .iter()
            .map(|s| format!("`{}`", s.ident))
            .collect();
        errors.spanned(
            ident,
            format!(
                "`{ident}` is not a state of `{}`; the states are {}",
                self.machine,
                names.join(", ")
            ),
        );
        None
    }
}

fn validate_rows<'a>(
    input: &'a MachineInput<'a>,
    names: &Names<'_, 'a>,
    errors: &mut Errors,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for row in &input.options.rows {
        let source = match &row.source {
            SourceSyntax::Any => Some(Source::Any),
            SourceSyntax::Named(idents) => {
                let nodes: Vec<Option<Node>> =
                    idents.iter().map(|n| names.resolve(n, errors)).collect();
                nodes
                    .into_iter()
                    .collect::<Option<Vec<Node>>>()
                    .map(Source::Nodes)
            }
        };
        let target = match &row.target {
            Some(ident) => names.resolve(ident, errors).map(Some),
            None => Some(None),
        };
        let (Some(source), Some(target)) = (source, target) else {
            continue;
        };
        let sources = match &source {
            Source::Any => (0..names.states.len()).collect(),
            Source::Nodes(nodes) => {
                let mut leaves: Vec<usize> = nodes
                    .iter()
                    .flat_map(|n| leaves_of(*n, names.states, names.superstates))
                    .collect();
                leaves.sort_unstable();
                leaves.dedup();
                leaves
            }
        };
        let source_text = match &row.source {
            SourceSyntax::Any => "_".to_owned(),
            SourceSyntax::Named(idents) => {
                idents.iter().map(name_of).collect::<Vec<_>>().join(" | ")
            }
        };
        rows.push(Row {
            sources,
            source,
            source_text,
            event: row.event.variant.as_ref(),
            event_fields: row.event.fields.as_ref(),
            target,
            target_text: row.target.as_ref().map(name_of),
            enters: target.map(|node| leaf_of(node, names.superstates)),
            guard: row.guard.as_ref(),
            pre_actions: row.actions.paths.split_last().map_or(&[], |(_, rest)| rest),
            action: row.actions.paths.last(),
            awaited: &row.actions.awaited,
            args: &row.actions.args,
            lends: row.actions.lends.is_some(),
            fallible: row.actions.fallible.is_some(),
            output: row.output.as_ref().map(|(_, value)| value),
            tokens: &row.tokens,
        });
    }
    rows
}

/// Superstates by index, with each state's and superstate's parent set.
/// A superstate has a name of its own and groups at least one state.
fn validate_superstate_names(
    syntax: &[SuperstateSyntax],
    states: &[State<'_>],
    errors: &mut Errors,
) {
    for (index, s) in syntax.iter().enumerate() {
        if states.iter().any(|state| same_name(state.ident, &s.name))
            || syntax[..index].iter().any(|o| same_name(&o.name, &s.name))
        {
            errors.spanned(
                &s.name,
                format!(
                    "`{}` is already the name of a state or superstate; give the superstate its \
                     own name",
                    s.name
                ),
            );
        }
        if s.states.is_empty() {
            errors.spanned(
                &s.name,
                format!(
                    "the superstate `{}` groups no states: add `states = [A, B]`",
                    s.name
                ),
            );
        }
    }
}

/// A superstate inside itself through others would make every walk up loop.
fn reject_nesting_cycles(
    syntax: &[SuperstateSyntax],
    superstates: &mut [Superstate<'_>],
    errors: &mut Errors,
) {
    for (index, s) in syntax.iter().enumerate() {
        let mut seen = vec![index];
        let mut parent = superstates[index].parent;
        while let Some(p) = parent {
            if seen.contains(&p) {
                errors.spanned(
                    &s.name,
                    format!("the superstate `{}` ends up inside itself", s.name),
                );
                superstates[index].parent = None;
                break;
            }
            seen.push(p);
            parent = superstates[p].parent;
        }
    }
}

fn validate_superstates<'a>(
    input: &'a MachineInput<'a>,
    states: &mut [State<'a>],
    errors: &mut Errors,
) -> Vec<Superstate<'a>> {
    let syntax = &input.options.superstates;
    let mut superstates: Vec<Superstate<'a>> = Vec::new();
    validate_superstate_names(syntax, states, errors);
    let find = |ident: &Ident| -> Option<Node> {
        states
            .iter()
            .position(|st| same_name(st.ident, ident))
            .map(Node::State)
            .or_else(|| {
                syntax
                    .iter()
                    .position(|o| same_name(&o.name, ident))
                    .map(Node::Super)
            })
    };
    let mut parents: Vec<(Node, usize, &Ident)> = Vec::new();
    for (index, s) in syntax.iter().enumerate() {
        let mut initial = None;
        for child in &s.states {
            match find(child) {
                Some(node) => {
                    if let Some((_, first, _)) = parents.iter().find(|(n, _, _)| *n == node) {
                        errors.spanned(
                            child,
                            format!(
                                "`{child}` is already inside the superstate `{}`; a state \
                                 belongs to one superstate",
                                syntax[*first].name
                            ),
                        );
                    } else if node == Node::Super(index) {
                        errors.spanned(child, "a superstate cannot contain itself");
                    } else {
                        parents.push((node, index, child));
                    }
                    initial.get_or_insert(node);
                }
                None => errors.spanned(
                    child,
                    format!("`{child}` is not a state or superstate of this machine"),
                ),
            }
        }
        if let Some(given) = &s.initial {
            match find(given) {
                Some(node) if s.states.iter().any(|c| c == given) => initial = Some(node),
                _ => errors.spanned(
                    given,
                    format!(
                        "the initial state of `{}` must be one of its `states`",
                        s.name
                    ),
                ),
            }
        }
        superstates.push(Superstate {
            ident: &s.name,
            initial: initial.unwrap_or(Node::State(0)),
            entry: s.entry.as_ref(),
            exit: s.exit.as_ref(),
            parent: None,
            history: s.history.as_ref().map(|word| super::model::History {
                deep: word == "deep",
                word,
            }),
        });
    }
    for (node, parent, _) in &parents {
        match *node {
            Node::State(i) => states[i].parent = Some(*parent),
            Node::Super(i) => superstates[i].parent = Some(*parent),
        }
    }
    reject_nesting_cycles(syntax, &mut superstates, errors);
    superstates
}

/// The state a transition to `node` ends in: `node`, or the initial state inside it.
pub(super) fn leaf_of(node: Node, superstates: &[Superstate<'_>]) -> usize {
    let mut node = node;
    for _ in 0..=superstates.len() {
        match node {
            Node::State(i) => return i,
            Node::Super(i) => node = superstates[i].initial,
        }
    }
    0
}

/// Every state inside `node`, or `node` itself when it is a state.
fn leaves_of(node: Node, states: &[State<'_>], superstates: &[Superstate<'_>]) -> Vec<usize> {
    match node {
        Node::State(i) => vec![i],
        Node::Super(target) => (0..states.len())
            .filter(|&i| {
                let mut parent = states[i].parent;
                for _ in 0..=superstates.len() {
                    match parent {
                        Some(p) if p == target => return true,
                        Some(p) => parent = superstates[p].parent,
                        None => return false,
                    }
                }
                false
            })
            .collect(),
    }
}
