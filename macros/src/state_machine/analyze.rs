//! Checks of the whole graph: nondeterministic and unreachable rows, unreachable states,
//! states with no way out, and (when asked for) pairs the table does not handle.

use std::collections::BTreeSet;

use super::model::Machine;
use crate::errors::Errors;

pub(super) fn analyze(machine: &Machine<'_>, errors: &mut Errors) {
    check_rows(machine, errors);
    check_reachable(machine, errors);
    check_ways_out(machine, errors);
    if machine.exhaustive {
        check_exhaustive(machine, errors);
    }
}

/// Per state and event, among the rows at the same level of specificity: two unguarded rows,
/// or a guarded row after an unguarded one.
fn check_rows(machine: &Machine<'_>, errors: &mut Errors) {
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for state in 0..machine.states.len() {
        for &event in machine.events() {
            let candidates = machine.candidates(state, event);
            for (i, &later) in candidates.iter().enumerate() {
                let level = machine.distance(&machine.rows[later], state);
                // A row with a pattern on the event's fields may not match, like a guard.
                let earlier_unguarded = candidates[..i].iter().copied().find(|&earlier| {
                    let row = &machine.rows[earlier];
                    row.guard.is_none()
                        && row.event_fields.is_none()
                        && machine.distance(row, state) == level
                });
                let Some(earlier) = earlier_unguarded else {
                    continue;
                };
                if !reported.insert((earlier, later)) {
                    continue;
                }
                let state_name = machine.states[state].ident;
                let row = &machine.rows[later];
                if row.guard.is_none() && row.event_fields.is_none() {
                    errors.spanned(
                        row.tokens,
                        format!(
                            "two rows without a guard handle `{event}` in state `{state_name}`, so \
                             the machine could not choose between them; give one an `if guard`, \
                             or remove one"
                        ),
                    );
                } else {
                    errors.spanned(
                        row.tokens,
                        format!(
                            "this guarded row can never fire for `{event}` in state `{state_name}`: \
                             an earlier row without a guard always fires first; move it above that \
                             row"
                        ),
                    );
                }
                errors.spanned(
                    machine.rows[earlier].tokens,
                    format!("the earlier row for `{event}` in state `{state_name}` is here"),
                );
            }
        }
    }
}

fn check_reachable(machine: &Machine<'_>, errors: &mut Errors) {
    let mut reached = vec![false; machine.states.len()];
    let mut queue = vec![machine.initial];
    reached[machine.initial] = true;
    while let Some(state) = queue.pop() {
        for row in &machine.rows {
            if machine.distance(row, state).is_none() {
                continue;
            }
            if let Some(next) = row.enters {
                if !reached[next] {
                    reached[next] = true;
                    queue.push(next);
                }
            }
        }
    }
    let initial = machine.states[machine.initial].ident;
    for (state, seen) in machine.states.iter().zip(reached) {
        if !seen && !state.allow_unreachable {
            errors.spanned(
                state.ident,
                format!(
                    "the state `{}` cannot be reached from the initial state `{initial}`: no \
                     transition leads to it; add one, or mark it `#[state(allow_unreachable)]` if \
                     it is entered some other way",
                    state.ident
                ),
            );
        }
    }
}

fn check_ways_out(machine: &Machine<'_>, errors: &mut Errors) {
    for (index, state) in machine.states.iter().enumerate() {
        if state.is_final {
            continue;
        }
        let leaves = machine.rows.iter().any(|row| {
            machine.distance(row, index).is_some() && row.enters.is_some_and(|next| next != index)
        });
        if !leaves {
            errors.spanned(
                state.ident,
                format!(
                    "the state `{}` has no way out: no transition leaves it; add one, or mark it \
                     `#[state(final)]` if the machine is meant to end there",
                    state.ident
                ),
            );
        }
    }
}

fn check_exhaustive(machine: &Machine<'_>, errors: &mut Errors) {
    for (index, state) in machine.states.iter().enumerate() {
        let missing: Vec<String> = machine
            .events()
            .iter()
            .filter(|event| machine.candidates(index, event).is_empty())
            .map(|event| format!("`{event}`"))
            .collect();
        if !missing.is_empty() {
            errors.spanned(
                state.ident,
                format!(
                    "`#[state_machine(exhaustive)]`: the state `{}` does not handle {}; add a row \
                     for each, or `_ + Event => ...` rows",
                    state.ident,
                    missing.join(", ")
                ),
            );
        }
    }
}
