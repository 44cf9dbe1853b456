//! Checks of the whole graph: nondeterministic and unreachable rows, unreachable states,
//! states with no way out, and (when asked for) pairs the table does not handle.

use std::collections::BTreeSet;

use super::model::{Machine, Row, event_text};
use crate::errors::Errors;

pub(super) fn analyze(machine: &Machine<'_>, errors: &mut Errors) {
    let reported = check_rows(machine, errors);
    check_overridden(machine, &reported, errors);
    check_reachable(machine, errors);
    check_never_left(machine, errors);
    check_lends(machine, errors);
    check_deferred(machine, errors);
    check_sizes(machine, errors);
    check_history(machine, errors);
    check_ways_out(machine, errors);
    check_dispatch(machine, errors);
    if machine.exhaustive {
        check_exhaustive(machine, errors);
    }
}

/// `dispatch = table` on a machine no cell of which the table could fire.
fn check_dispatch(machine: &Machine<'_>, errors: &mut Errors) {
    let Some(word) = machine
        .dispatch
        .filter(|_| machine.wants_table() == Some(true))
    else {
        return;
    };
    if super::table::Table::of(machine).is_some() {
        return;
    }
    let why = super::table::refusal(machine).unwrap_or(
        "no row only moves between states without data (each has a guard, an action, a hook on \
         the way, a history or a pattern on the event), so the table would fire nothing",
    );
    errors.spanned(
        word,
        format!(
            "`dispatch = table` cannot be used here: {why}; remove it to fire through a `match`"
        ),
    );
}

/// Per state and event, among the rows at the same level of specificity: two unguarded rows,
/// or a guarded row after an unguarded one.
fn check_rows(machine: &Machine<'_>, errors: &mut Errors) -> BTreeSet<usize> {
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for state in 0..machine.states.len() {
        for slot in machine.event_slots() {
            let event = event_text(slot);
            let candidates = machine.candidates(state, slot);
            for (i, &later) in candidates.iter().enumerate() {
                // A row naming the event is more specific than a `_` row from the same source.
                let level = |row: &Row<'_>| (machine.distance(row, state), row.event.is_none());
                let later_level = level(&machine.rows[later]);
                // A row with a pattern on the event's fields may not match, like a guard.
                let earlier_unguarded = candidates[..i].iter().copied().find(|&earlier| {
                    let row = &machine.rows[earlier];
                    row.always_fires() && level(row) == later_level
                });
                let Some(earlier) = earlier_unguarded else {
                    continue;
                };
                if !reported.insert((earlier, later)) {
                    continue;
                }
                let state_name = machine.states[state].ident;
                let row = &machine.rows[later];
                if row.always_fires() {
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
    reported.into_iter().map(|(_, later)| later).collect()
}

/// A row that fires in none of the states it applies to: each of them handles the event with
/// a more specific row that always fires (a row already reported by `check_rows` is skipped).
fn check_overridden(machine: &Machine<'_>, reported: &BTreeSet<usize>, errors: &mut Errors) {
    for (index, row) in machine.rows.iter().enumerate() {
        if reported.contains(&index) || row.sources.iter().any(|&s| machine.fires_in(index, s)) {
            continue;
        }
        errors.spanned(
            row.tokens,
            format!(
                "this row never fires: every state it applies to handles `{}` with a more \
                 specific row that always fires first; remove it, or give those rows a guard",
                row.event_text()
            ),
        );
    }
}

fn check_reachable(machine: &Machine<'_>, errors: &mut Errors) {
    let mut reached = vec![false; machine.states.len()];
    let mut queue = vec![machine.initial];
    reached[machine.initial] = true;
    while let Some(state) = queue.pop() {
        for event in machine.event_slots() {
            let entered = machine
                .tried(state, event)
                .iter()
                .filter_map(|&index| machine.rows[index].enters);
            for next in entered {
                if !reached[next] {
                    reached[next] = true;
                    queue.push(next);
                }
            }
        }
    }
    let initial = machine.states[machine.initial].ident;
    for (index, (state, seen)) in machine.states.iter().zip(reached).enumerate() {
        if seen || state.allow_unreachable {
            continue;
        }
        let why = if machine.rows.iter().any(|row| row.enters == Some(index)) {
            "every row that leads to it is overridden, in the states that reach it, by a more \
             specific row for the same event"
        } else {
            "no transition leads to it"
        };
        errors.spanned(
            state.ident,
            format!(
                "the state `{}` cannot be reached from the initial state `{initial}`: {why}; add a \
                 transition to it, or mark it `#[state(allow_unreachable)]` if it is entered some \
                 other way",
                state.ident
            ),
        );
    }
}

/// A superstate around every state is never left, so its exit hook could never run (its
/// entry hook runs once, at `start`).
fn check_never_left(machine: &Machine<'_>, errors: &mut Errors) {
    for (index, superstate) in machine.superstates.iter().enumerate() {
        let Some(exit) = superstate.exit else {
            continue;
        };
        if (0..machine.states.len()).all(|state| machine.ancestors(state).contains(&index)) {
            errors.spanned(
                exit,
                format!(
                    "the exit hook of `{}` can never run: every state is inside it, so the \
                     machine never leaves it; remove the hook, or move it to the states that \
                     are left",
                    superstate.ident
                ),
            );
        }
    }
}

/// `then &action` only means something where the source's data would move into the action.
fn check_lends(machine: &Machine<'_>, errors: &mut Errors) {
    for row in machine.rows.iter().filter(|row| row.lends) {
        if machine.moved_source(row).is_none() || row.enters.is_none() {
            if let Some(action) = row.action {
                errors.spanned(
                    action,
                    "`then &action` lends the state's data to the action, but this row passes \
                     it none: only a row from one state with data to another state does \
                     (internal rows already get it as `&mut`); remove the `&`",
                );
            }
        }
    }
}

/// An event a state both defers and handles: the row would fire and the deferral never
/// apply.
fn check_deferred(machine: &Machine<'_>, errors: &mut Errors) {
    for (index, state) in machine.states.iter().enumerate() {
        for event in state.defer {
            let slot = machine.events().contains(&event).then_some(event);
            if !machine.candidates(index, slot).is_empty() {
                errors.spanned(
                    event,
                    format!(
                        "`{}` defers `{event}`, but a row handles `{event}` there, so it would \
                         never be deferred; remove one of them",
                        state.ident
                    ),
                );
            }
        }
    }
}

/// `Fired` and `InvalidTransition` carry states, events and rows as `u16` indices.
fn check_sizes(machine: &Machine<'_>, errors: &mut Errors) {
    // An event index keeps its top bit free for the rejection.
    for (what, count, limit) in [
        ("states", machine.states.len(), 0xffff),
        ("events", machine.events().len(), 0x7fff),
        ("rows", machine.rows.len(), 0xffff),
    ] {
        if count >= limit {
            errors.spanned(
                machine.ident,
                format!(
                    "`{}` has {count} {what}; a machine has fewer than {limit}: split it into \
                     machines that run each other",
                    machine.ident
                ),
            );
        }
    }
}

/// A superstate with history is re-entered at whichever state was last active there: a row
/// into it cannot build that state's data.
fn check_history(machine: &Machine<'_>, errors: &mut Errors) {
    for row in &machine.rows {
        let (Some((superstate, history)), Some(action)) = (machine.history_target(row), row.action)
        else {
            continue;
        };
        let holds_data = machine
            .history_entries(superstate, history.deep)
            .iter()
            .any(|&(entered, _)| machine.states[entered].data.is_some());
        if holds_data {
            errors.spanned(
                action,
                format!(
                    "this row enters `{}` by its history, at whichever state was last active \
                     there, so its action cannot build that state's data: a state entered by \
                     history gets its data from `Default`; drop the action, or give the row a \
                     state as its target",
                    machine.superstates[superstate].ident
                ),
            );
        }
    }
}

/// A state in which no row fires at all. A state that only reacts to events without leaving
/// (internal rows, or rows back into itself) still works, and may be where the machine ends.
fn check_ways_out(machine: &Machine<'_>, errors: &mut Errors) {
    for (index, state) in machine.states.iter().enumerate() {
        if state.is_final {
            continue;
        }
        let reacts = machine
            .event_slots()
            .any(|event| !machine.tried(index, event).is_empty());
        if !reacts {
            errors.spanned(
                state.ident,
                format!(
                    "the state `{}` has no way out: no row fires in it; add one, or mark it \
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
            .filter(|event| machine.candidates(index, Some(event)).is_empty())
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
