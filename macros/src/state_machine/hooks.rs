//! Which entry and exit hooks a transition runs: exits from the current state outwards,
//! entries inwards to the state entered, around the innermost superstate containing both
//! ends (UML's external transitions).

use super::model::{Machine, Node, Row, Source};

/// The nodes a transition from `state` by `row` leaves (innermost first) and enters
/// (outermost first). Empty for an internal transition.
pub(super) fn exits_and_entries(
    machine: &Machine<'_>,
    state: usize,
    row: &Row<'_>,
) -> (Vec<Node>, Vec<Node>) {
    let (Some(target), Some(entered)) = (row.target, row.enters) else {
        return (Vec::new(), Vec::new());
    };
    let source = matched_source(machine, state, row);
    let source_ancestors = strict_ancestors(machine, source);
    let target_ancestors = strict_ancestors(machine, target);
    let scope = source_ancestors
        .iter()
        .copied()
        .find(|s| target_ancestors.contains(s));

    let mut exits = vec![Node::State(state)];
    exits.extend(
        machine
            .ancestors(state)
            .into_iter()
            .take_while(|&s| Some(s) != scope)
            .map(Node::Super),
    );
    let mut entries: Vec<Node> = machine
        .ancestors(entered)
        .into_iter()
        .take_while(|&s| Some(s) != scope)
        .map(Node::Super)
        .collect();
    entries.reverse();
    entries.push(Node::State(entered));
    (exits, entries)
}

/// The node of the row's source that `state` matched: the state, the superstate around it
/// that the row names, or the state itself for `_`.
fn matched_source(machine: &Machine<'_>, state: usize, row: &Row<'_>) -> Node {
    match &row.source {
        Source::Any => Node::State(state),
        Source::Nodes(nodes) => {
            if nodes.contains(&Node::State(state)) {
                return Node::State(state);
            }
            machine
                .ancestors(state)
                .into_iter()
                .map(Node::Super)
                .find(|n| nodes.contains(n))
                .unwrap_or(Node::State(state))
        }
    }
}

fn strict_ancestors(machine: &Machine<'_>, node: Node) -> Vec<usize> {
    match node {
        Node::State(i) => machine.ancestors(i),
        Node::Super(i) => {
            let mut chain = Vec::new();
            let mut parent = machine.superstates[i].parent;
            while let Some(p) = parent {
                if chain.contains(&p) {
                    break;
                }
                chain.push(p);
                parent = machine.superstates[p].parent;
            }
            chain
        }
    }
}
