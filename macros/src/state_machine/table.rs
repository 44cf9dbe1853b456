//! `fire` as one lookup, for a machine of many states whose rows mostly only move between
//! states without data (no guard, no action, no hook on the way, no history, no pattern on
//! the event's fields). Each state and named event is a cell of a `static` array holding the
//! state entered and the row fired, so that such an event costs two index computations and
//! one load — fewer instructions than the `match` a hand-written step compiles to, with the
//! result kept or dropped. A cell whose rows do more is marked, and the `match` fires it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::fire::{construct, index_literal, plain_row};
use super::model::Machine;

/// A cell no row fires in.
const EMPTY: u32 = u32::MAX;

/// A cell whose rows do more than move: the `match` fires it.
const MATCH: u32 = u32::MAX - 1;

/// The most cells a table may have (64 KiB of `u32`s); a larger machine keeps the `match`,
/// whose size follows its rows rather than states × events.
const MAX_CELLS: usize = 1 << 14;

/// The fewest states a table is built for. On a handful of states the `match` is a few
/// compares, as short as the lookup and, on a regular walk, predicted where the lookup's
/// loads wait on each other (measured on 4 states: 22 instructions against 23, 1.0 ns
/// against 2.4).
const MIN_STATES: usize = 8;

/// A table at most this many times larger than its filled cells; a sparser one keeps the
/// `match`, smaller than the table and as quick on the few cells it has.
const MAX_SPARSENESS: usize = 16;

/// The cells, state by state and event by event (in the order the table first names them):
/// the index of the state entered in the low half and the row's in the high half, or
/// [`EMPTY`], or [`MATCH`].
pub(super) struct Table {
    cells: Vec<Vec<u32>>,
    /// Whether some cell is [`MATCH`].
    matched: bool,
    /// Whether a row accepts events the table does not name (`State + _`): those go to the
    /// `match` too.
    unnamed: bool,
}

impl Table {
    /// The table, or `None` when the machine is small, sparse or mostly more than moves.
    pub(super) fn of(machine: &Machine<'_>) -> Option<Table> {
        let events = machine.events();
        let total = machine.states.len().checked_mul(events.len())?;
        if events.is_empty()
            || machine.states.len() < MIN_STATES
            || total > MAX_CELLS
            || machine.is_async()
            || machine.defers_any()
            || machine.rows.len() >= usize::from(u16::MAX)
            || machine.states.len() >= usize::from(u16::MAX)
        {
            return None;
        }
        let mut table = Table {
            cells: Vec::with_capacity(machine.states.len()),
            matched: false,
            unnamed: false,
        };
        let (mut filled, mut moves) = (0, 0);
        for state in 0..machine.states.len() {
            table.unnamed |= !machine.tried(state, None).is_empty();
            let mut cells = Vec::with_capacity(events.len());
            for &event in events {
                let cell = match machine.tried(state, Some(event)) {
                    [] => EMPTY,
                    &[index]
                        if machine.rows[index].always_fires()
                            && plain_row(machine, state, index).is_some() =>
                    {
                        let entered = u32::try_from(machine.rows[index].enters?).ok()?;
                        moves += 1;
                        entered | u32::try_from(index).ok()? << 16
                    }
                    _ => MATCH,
                };
                filled += usize::from(cell != EMPTY);
                table.matched |= cell == MATCH;
                cells.push(cell);
            }
            table.cells.push(cells);
        }
        (filled * MAX_SPARSENESS >= total && moves * 2 >= filled).then_some(table)
    }

    /// The `static` holding the cells, beside the machine's impl.
    pub(super) fn item(&self) -> TokenStream {
        let states = self.cells.len();
        let events = self.cells.first().map_or(0, Vec::len);
        let rows = self.cells.iter().map(|cells| {
            let cells = cells.iter().map(|&cell| Literal::u32_unsuffixed(cell));
            quote!([#(#cells),*])
        });
        quote!(static __PATTERNKIT_CELLS: [[u32; #events]; #states] = [#(#rows),*];)
    }

    /// `__from`, `__event` and `__cell` for the current state and `event`; a cell outside
    /// the table (an event it does not name) reads as `unnamed`.
    fn lookup(unnamed: u32) -> TokenStream {
        quote! {
            let __from = self.__patternkit_state_index();
            let __event = Self::__patternkit_event_index(event);
            let __cell = match __PATTERNKIT_CELLS[__from as usize].get(__event as usize) {
                ::core::option::Option::Some(&__cell) => __cell,
                ::core::option::Option::None => #unnamed,
            };
        }
    }

    /// The body of `fire`, with `fallback` (the `match`) for the cells it leaves.
    pub(super) fn fire(
        &self,
        machine: &Machine<'_>,
        private: &TokenStream,
        fallback: impl FnOnce() -> TokenStream,
    ) -> TokenStream {
        // Every state without data, so that the index maps onto the variant as it is (no
        // code for the usual declaration order); the last one stands for any other index,
        // which never occurs, as only a state without data is entered by the table (and
        // the table is only built with such a state to enter).
        let fieldless: Vec<usize> = (0..machine.states.len())
            .filter(|&state| machine.states[state].data.is_none())
            .collect();
        let (last, others) = fieldless
            .split_last()
            .map_or((0, &[][..]), |(l, o)| (*l, o));
        let arms = others.iter().map(|&state| {
            let index = index_literal(state);
            let value = construct(machine, state, None);
            quote!(#index => #value,)
        });
        let last = construct(machine, last, None);
        let rejected = quote! {
            return ::core::result::Result::Err(::core::convert::From::from(
                #private::InvalidTransition::<Self>::new(
                    __from,
                    __event,
                    #private::Rejection::NoTransition,
                ),
            ));
        };
        let (unnamed, not_moved) = if self.matched || self.unnamed {
            let fallback = fallback();
            (
                if self.unnamed { MATCH } else { EMPTY },
                quote! {
                    if __cell >= #MATCH {
                        if __cell == #EMPTY {
                            #rejected
                        }
                        return { #fallback };
                    }
                },
            )
        } else {
            (EMPTY, quote!(if __cell == #EMPTY { #rejected }))
        };
        let lookup = Self::lookup(unnamed);
        quote! {
            #lookup
            #not_moved
            *self = match (__cell & 0xffff) as u16 {
                #(#arms)*
                _ => #last,
            };
            ::core::result::Result::Ok(#private::Fired::new(__from, (__cell >> 16) as u16))
        }
    }

    /// The body of `next` when every cell is in the table (no guard to ask, nothing left to
    /// the `match`): the row of the cell.
    pub(super) fn next(&self) -> Option<TokenStream> {
        if self.matched || self.unnamed {
            return None;
        }
        let lookup = Self::lookup(EMPTY);
        Some(quote! {
            #lookup
            let _ = __from;
            if __cell == #EMPTY {
                ::core::option::Option::None
            } else {
                ::core::option::Option::Some(&Self::TRANSITIONS[(__cell >> 16) as usize])
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    /// A machine of eight states, `A` to `H`, with `rows` and a ring of `Next` rows that
    /// reaches each state; `data` is written inside `B`'s variant.
    fn expanded(rows: &TokenStream, data: &TokenStream, b_attrs: &TokenStream) -> String {
        let out = super::super::expand(quote! {
            #[state_machine(event = Ev, initial = A,
                superstate(Up, states = [B, C]),
                transitions = [
                    #rows
                    A + Next => B, B + Next => C, C + Next => D, D + Next => E,
                    E + Next => F, F + Next => G, G + Next => H, H + Next => A,
                ])]
            enum M { A, #b_attrs B #data, C, D, E, F, G, H }
        })
        .to_string();
        assert!(!out.contains("compile_error"), "{rows}: {out}");
        out
    }

    fn table(out: &str) -> bool {
        out.contains("__PATTERNKIT_CELLS")
    }

    /// Whether `fire` has the `match` to fall back on.
    fn matches(out: &str) -> bool {
        out.contains("__rejection")
    }

    #[test]
    fn a_pure_table_fires_by_lookup_alone() {
        let rows = quote!(A + Go => B, Up + Stop => A, _ + Reset => A,);
        let out = expanded(&rows, &quote!(), &quote!());
        assert!(table(&out) && !matches(&out), "{out}");
    }

    #[test]
    fn cells_beyond_moves_fall_back_on_the_match() {
        for rows in [
            quote!(A + Go => B if ready,),
            quote!(A + Go => B then act,),
            quote!(A + Go => _,),
            quote!(A + _ => B,),
            quote!(A + Go { fast: true } => B,),
        ] {
            let out = expanded(&rows, &quote!(), &quote!());
            assert!(table(&out) && matches(&out), "{rows}: {out}");
        }
        let rows = quote!(A + Go => C,);
        for (data, attrs) in [
            (quote!((u8)), quote!()),
            (quote!(), quote!(#[state(entry = hello)])),
        ] {
            let out = expanded(&rows, &data, &attrs);
            assert!(table(&out) && matches(&out), "{data} {attrs}: {out}");
        }
    }

    #[test]
    fn machines_that_mostly_do_more_than_move_keep_the_match() {
        let rows = quote!(
            A + Go => B then act, B + Go => C then act, C + Go => D then act,
            D + Go => E then act, E + Go => F then act, F + Go => G then act,
            G + Go => H then act, H + Go => A then act, A + Stop => B then act,
        );
        let out = expanded(&rows, &quote!(), &quote!());
        assert!(!table(&out) && matches(&out), "{out}");
    }

    #[test]
    fn small_machines_keep_the_match() {
        let out = super::super::expand(quote! {
            #[state_machine(event = Ev, initial = A, transitions = [A + Go => B, B + Go => A])]
            enum M { A, B }
        })
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(!table(&out), "{out}");
    }

    #[test]
    fn sparse_tables_keep_the_match() {
        // Forty states in a ring, and forty events each accepted in one state only: 80 of
        // 1,640 cells are filled.
        let states: Vec<_> = (0..40).map(|i| quote::format_ident!("S{i}")).collect();
        let ring = (0..40).map(|i| {
            let (from, to) = (&states[i], &states[(i + 1) % 40]);
            let event = quote::format_ident!("E{i}");
            quote!(#from + Next => #to, #from + #event => #from,)
        });
        let out = super::super::expand(quote! {
            #[state_machine(event = Ev, initial = S0, transitions = [#(#ring)*])]
            enum M { #(#states),* }
        })
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(!table(&out), "{out}");
    }
}
