//! `next` as a lookup, for any machine whose `next` has no guard to ask (one that fires by a
//! table of cells too): for each state and event, at most one row could answer and it always
//! fires, so the answer is a row index known now. A `const` array of them (one `u16` per
//! state and event, and a last column for the events the table does not name) is far less
//! for the compiler to check than the `match` it stands for, which repeats `fire`'s; `next`
//! is not `fire`'s hot path.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::model::Machine;
use super::table::MAX_CELLS;

/// The body of `next`, or `None` when a row it could answer has a guard or a pattern on the
/// event's fields, or when the machine is too large for a table (as `fire`'s, `MAX_CELLS`
/// states × events), whose `match` follows its rows rather than states × events.
pub(super) fn next_by_rows(machine: &Machine<'_>, private: &TokenStream) -> Option<TokenStream> {
    let width = machine.events().len() + 1;
    if machine.states.len().saturating_mul(width - 1) > MAX_CELLS {
        return None;
    }
    let no_row = usize::from(u16::MAX);
    let mut cells = Vec::with_capacity(machine.states.len() * width);
    for state in 0..machine.states.len() {
        for slot in machine.event_slots() {
            let cell = match machine.tried(state, slot) {
                [] => no_row,
                &[index] if machine.rows[index].always_fires() && index < no_row => index,
                _ => return None,
            };
            cells.push(Literal::usize_unsuffixed(cell));
        }
    }
    let width = Literal::usize_unsuffixed(width);
    Some(quote! {
        const __ROWS: &[::core::primitive::u16] = &[#(#cells),*];
        #private::next_row(
            Self::TRANSITIONS,
            __ROWS,
            #width,
            self.state_index() as ::core::primitive::u16,
            Self::__patternkit_event_index(event),
        )
    })
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    /// Whether `next` of the machine with these rows is the lookup.
    fn looks_up(rows: &TokenStream) -> bool {
        let out = super::super::expand(quote! {
            #[state_machine(event = Ev, initial = A, superstate(Up, states = [B, C]),
                transitions = [#rows A + Next => B, B + Next => C, C + Next => A])]
            enum M { A, B, C }
        })
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        out.contains("__ROWS")
    }

    #[test]
    fn rows_that_always_fire_are_looked_up() {
        assert!(looks_up(&quote!()));
        assert!(looks_up(
            &quote!(Up + Stop => A, _ + Reset => A, B + _ => C, A + Tick => _,)
        ));
        assert!(
            looks_up(&quote!(A + Go => B then act,)),
            "an action runs in `fire` only"
        );
    }

    #[test]
    fn a_guard_or_a_pattern_keeps_the_match() {
        assert!(!looks_up(&quote!(A + Go => B if ready,)));
        assert!(!looks_up(&quote!(A + Go { fast: true } => B,)));
        assert!(!looks_up(&quote!(A + Go => B if ready, A + Go => C,)));
    }
}
