//! The table drawn: a Mermaid `stateDiagram-v2` and a Graphviz `digraph`, made once at
//! compile time as string constants.

use crate::ident_name::name_of;
use std::fmt::Write as _;

use quote::quote;

use super::model::{Machine, Row, Source};
use crate::type_key::type_key;

/// `Event`, `Event(pattern)`, then ` [guard]`, ` / action` and ` ⇒ output` when the row
/// has them, and `(H)` or `(H*)` when it enters a superstate's shallow or deep history.
fn label(machine: &Machine<'_>, row: &Row<'_>) -> String {
    let mut label = row.event_text();
    if let Some(fields) = row.event_fields {
        label.push_str(&type_key(fields));
    }
    if let Some(guard) = row.guard {
        let _ = write!(label, " [{}]", guard.text());
    }
    if let Some(actions) = super::tables::actions_text(row) {
        let _ = write!(label, " / {actions}");
    }
    if let Some(output) = row.output {
        let _ = write!(label, " ⇒ {}", type_key(output));
    }
    if let Some((_, history)) = machine.history_target(row) {
        label.push_str(if history.deep { " (H*)" } else { " (H)" });
    }
    label
}

/// The names row `index`'s edges start from: the nodes it names (every state for `_`) when it
/// fires in every state it applies to, or else only the states where it fires — a row that a
/// more specific one overrides is not drawn where it never runs.
fn edge_sources(machine: &Machine<'_>, index: usize) -> Vec<String> {
    let row = &machine.rows[index];
    let live: Vec<usize> = row
        .sources
        .iter()
        .copied()
        .filter(|&state| machine.fires_in(index, state))
        .collect();
    match &row.source {
        Source::Nodes(nodes) if live.len() == row.sources.len() => {
            nodes.iter().map(|n| machine.node_name(*n)).collect()
        }
        _ => live
            .into_iter()
            .map(|state| name_of(machine.states[state].ident))
            .collect(),
    }
}

pub(super) fn mermaid(machine: &Machine<'_>) -> proc_macro2::TokenStream {
    let mut out = String::from("stateDiagram-v2\n");
    for (index, superstate) in machine.superstates.iter().enumerate() {
        if superstate.parent.is_none() {
            write_composite(machine, index, 1, &mut out);
        }
    }
    // The outermost superstate around the initial state, which enters it in turn.
    let entry = machine.ancestors(machine.initial).last().map_or_else(
        || name_of(machine.states[machine.initial].ident),
        |&s| name_of(machine.superstates[s].ident),
    );
    let _ = writeln!(out, "    [*] --> {entry}");
    for (index, row) in machine.rows.iter().enumerate() {
        let label = label(machine, row);
        match row.target {
            Some(target) => {
                let target = machine.node_name(target);
                for source in edge_sources(machine, index) {
                    let _ = writeln!(out, "    {source} --> {target} : {label}");
                }
            }
            None => {
                for source in edge_sources(machine, index) {
                    let _ = writeln!(out, "    {source} : {label} (internal)");
                }
            }
        }
    }
    for state in machine.states.iter().filter(|s| s.is_final) {
        let _ = writeln!(out, "    {} --> [*]", name_of(state.ident));
    }
    quote!(#out)
}

fn write_composite(machine: &Machine<'_>, index: usize, depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    let superstate = &machine.superstates[index];
    let _ = writeln!(out, "{indent}state {} {{", name_of(superstate.ident));
    let _ = writeln!(
        out,
        "{indent}    [*] --> {}",
        machine.node_name(superstate.initial)
    );
    for (child, inner) in machine.superstates.iter().enumerate() {
        if inner.parent == Some(index) {
            write_composite(machine, child, depth + 1, out);
        }
    }
    for state in machine.states.iter().filter(|s| s.parent == Some(index)) {
        let _ = writeln!(out, "{indent}    {}", name_of(state.ident));
    }
    let _ = writeln!(out, "{indent}}}");
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

pub(super) fn dot(machine: &Machine<'_>) -> proc_macro2::TokenStream {
    let mut out = format!(
        "digraph {} {{\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    __start \
         [shape=point];\n",
        name_of(machine.ident)
    );
    for (index, superstate) in machine.superstates.iter().enumerate() {
        if superstate.parent.is_none() {
            write_cluster(machine, index, 1, &mut out);
        }
    }
    let _ = writeln!(
        out,
        "    __start -> {};",
        name_of(machine.states[machine.initial].ident)
    );
    for (index, row) in machine.rows.iter().enumerate() {
        let label = escape(&label(machine, row));
        let live = row.sources.iter().filter(|&&s| machine.fires_in(index, s));
        // A row into a history may enter any state it goes back to.
        let targets: Vec<usize> = match machine.history_target(row) {
            Some((superstate, history)) => machine
                .history_entries(superstate, history.deep)
                .into_iter()
                .map(|(entered, _)| entered)
                .collect(),
            None => row.enters.into_iter().collect(),
        };
        for &source in live {
            let source = name_of(machine.states[source].ident);
            match row.enters {
                Some(_) => {
                    for &target in &targets {
                        let target = name_of(machine.states[target].ident);
                        let _ = writeln!(out, "    {source} -> {target} [label=\"{label}\"];");
                    }
                }
                None => {
                    let _ = writeln!(
                        out,
                        "    {source} -> {source} [label=\"{label}\", style=dashed];"
                    );
                }
            }
        }
    }
    for state in machine.states.iter().filter(|s| s.is_final) {
        let _ = writeln!(out, "    {} [peripheries=2];", name_of(state.ident));
    }
    out.push_str("}\n");
    quote!(#out)
}

fn write_cluster(machine: &Machine<'_>, index: usize, depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    let superstate = &machine.superstates[index];
    let _ = writeln!(
        out,
        "{indent}subgraph cluster_{} {{",
        name_of(superstate.ident)
    );
    let _ = writeln!(out, "{indent}    label=\"{}\";", name_of(superstate.ident));
    for (child, inner) in machine.superstates.iter().enumerate() {
        if inner.parent == Some(index) {
            write_cluster(machine, child, depth + 1, out);
        }
    }
    for state in machine.states.iter().filter(|s| s.parent == Some(index)) {
        let _ = writeln!(out, "{indent}    {};", name_of(state.ident));
    }
    let _ = writeln!(out, "{indent}}}");
}
