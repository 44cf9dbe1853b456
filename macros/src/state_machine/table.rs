//! `fire` as one lookup, for a machine of many states whose rows mostly only move between
//! states without data (no guard, no action, no hook on the way, no history, no pattern on
//! the event's fields), or any machine written `dispatch = table`. Each state and named event
//! is a cell of a `static` array holding the state entered and the row fired, so that such an
//! event costs two index computations and one load — fewer instructions than the `match` a
//! hand-written step compiles to, and no branch to mispredict. A cell whose rows do more is
//! marked, and the `match` fires it.
//!
//! The lookup's price is latency: the next state waits on a load, where a `match` whose
//! branches the processor predicts runs ahead. On a walk it learns (a cycle, a protocol's usual
//! path) a small machine's `match` is faster in time, so the derive builds the table by
//! itself only for large, dense machines, where the `match` dispatches through jump tables a
//! varied walk defeats.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::construct::construct;
use super::fire::{index_literal, plain_row};
use super::model::Machine;

/// A cell no row fires in.
const EMPTY: u32 = u32::MAX;

/// A cell whose rows do more than move: the `match` fires it.
const MATCH: u32 = u32::MAX - 1;

/// The most cells a table may have (64 KiB of `u32`s); a larger machine keeps the `match`,
/// whose size follows its rows rather than states × events.
pub(super) const MAX_CELLS: usize = 1 << 14;

/// The fewest states a table is built for without `dispatch = table`. Below, the `match` is
/// faster in time on any walk measured (8 to 24 states, 1 to 8 rows each: 1.0 to 1.7 ns
/// against the lookup's 2.2 to 2.5), even where the lookup takes fewer instructions.
const MIN_STATES: usize = 32;

/// The fewest filled cells per state, on average, for a table without `dispatch = table`:
/// with fewer rows per state the `match` is a few compares per state, as few instructions
/// as the lookup (32 states with 4 rows each: 28.4 against 28.5) and faster (1.7 ns against
/// 2.3); with 8 or more it dispatches through jump tables (32 states with 8 rows each: 3.6 ns
/// against 2.5; the report's 50 × 50 machine, 10 rows a state: 7.7 ns against 2.9).
const MIN_CELLS_PER_STATE: usize = 8;

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

/// Why the machine cannot fire through a table at all, whatever `dispatch` says.
pub(super) fn refusal(machine: &Machine<'_>) -> Option<&'static str> {
    let (states, events) = (machine.states.len(), machine.events().len());
    if machine.is_async() {
        Some("an async machine awaits its guards, actions or hooks, which the `match` runs")
    } else if machine.defers_any() {
        Some("a machine that defers events decides what to defer in the `match`")
    } else if events == 0 {
        Some("the table names no event")
    } else if states.saturating_mul(events) > MAX_CELLS
        || machine.rows.len() >= usize::from(u16::MAX)
        || states >= usize::from(u16::MAX)
    {
        Some("the table would have more than 16,384 cells (states × events)")
    } else if !machine.states.iter().any(|state| state.data.is_none()) {
        Some("every state carries data, which only an action can build")
    } else {
        None
    }
}

impl Table {
    /// The table, or `None` when the machine cannot have one, when `dispatch = match` says
    /// so, or (without `dispatch`) when it is small, sparse or mostly more than moves.
    pub(super) fn of(machine: &Machine<'_>) -> Option<Table> {
        let forced = match machine.wants_table() {
            Some(false) => return None,
            Some(true) => true,
            None => false,
        };
        // A small machine without `dispatch = table` keeps the `match`, whatever its cells.
        if refusal(machine).is_some() || (!forced && machine.states.len() < MIN_STATES) {
            return None;
        }
        let (states, events) = (machine.states.len(), machine.events());
        let total = states * events.len();
        let mut table = Table {
            cells: Vec::with_capacity(states),
            matched: false,
            unnamed: false,
        };
        let (mut filled, mut moves) = (0, 0);
        for state in 0..states {
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
        if forced {
            return (moves > 0).then_some(table);
        }
        (states >= MIN_STATES
            && filled >= MIN_CELLS_PER_STATE * states
            && filled * MAX_SPARSENESS >= total
            && moves * 2 >= filled)
            .then_some(table)
    }

    /// The `static` holding the cells, beside the machine's impl.
    pub(super) fn item(&self) -> TokenStream {
        let states = self.cells.len();
        let events = self.cells.first().map_or(0, Vec::len);
        let rows = self.cells.iter().map(|cells| {
            let cells = cells.iter().map(|&cell| Literal::u32_unsuffixed(cell));
            quote!([#(#cells),*])
        });
        quote!(static __PATTERNKIT_CELLS: [[::core::primitive::u32; #events]; #states] = [#(#rows),*];)
    }

    /// `__from`, `__event` and `__cell` for the current state and `event`; a cell outside
    /// the table (an event it does not name) reads as `unnamed`.
    fn lookup(unnamed: u32) -> TokenStream {
        quote! {
            let __from = self.state_index() as ::core::primitive::u16;
            let __event = Self::__patternkit_event_index(event);
            let __cell = match __PATTERNKIT_CELLS[__from as ::core::primitive::usize].get(__event as ::core::primitive::usize) {
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
            *self = match (__cell & 0xffff) as ::core::primitive::u16 {
                #(#arms)*
                _ => #last,
            };
            ::core::result::Result::Ok(#private::Fired::new(__from, (__cell >> 16) as ::core::primitive::u16))
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::{format_ident, quote};

    fn expand(input: TokenStream) -> String {
        let out = super::super::expand(input).to_string();
        assert!(!out.contains("compile_error"), "{out}");
        out
    }

    /// A machine of eight states, `A` to `H`, with `dispatch = table`, `rows` and a ring of
    /// `Next` rows that reaches each state; `data` is written inside `B`'s variant.
    fn expanded(rows: &TokenStream, data: &TokenStream, b_attrs: &TokenStream) -> String {
        expand(quote! {
            #[state_machine(event = Ev, initial = A, dispatch = table,
                superstate(Up, states = [B, C]),
                transitions = [
                    #rows
                    A + Next => B, B + Next => C, C + Next => D, D + Next => E,
                    E + Next => F, F + Next => G, G + Next => H, H + Next => A,
                ])]
            enum M { A, #b_attrs B #data, C, D, E, F, G, H }
        })
    }

    /// Whether `fire` looks the cell up.
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
            (quote!((::core::primitive::u8)), quote!()),
            (quote!(), quote!(#[state(entry = hello)])),
        ] {
            let out = expanded(&rows, &data, &attrs);
            assert!(table(&out) && matches(&out), "{data} {attrs}: {out}");
        }
    }

    /// `states` states in a ring of `E0`, each also accepting `extra` more events.
    fn dense(states: usize, extra: usize, dispatch: &TokenStream) -> String {
        let names: Vec<_> = (0..states).map(|i| format_ident!("S{i}")).collect();
        let rows = (0..states).flat_map(|i| {
            let names = &names;
            (0..=extra).map(move |k| {
                let (from, to) = (&names[i], &names[(i + k + 1) % states]);
                let event = format_ident!("E{k}");
                quote!(#from + #event => #to,)
            })
        });
        expand(quote! {
            #[state_machine(event = Ev, initial = S0, #dispatch transitions = [#(#rows)*])]
            enum M { #(#names),* }
        })
    }

    #[test]
    fn without_dispatch_only_large_dense_machines_get_a_table() {
        assert!(table(&dense(32, 7, &quote!())));
        assert!(!table(&dense(32, 3, &quote!())), "too few rows a state");
        assert!(!table(&dense(16, 15, &quote!())), "too few states");
        assert!(!table(&dense(32, 7, &quote!(dispatch = match,))));
        assert!(table(&dense(4, 0, &quote!(dispatch = table,))));
    }

    #[test]
    fn machines_that_mostly_do_more_than_move_keep_the_match() {
        let names: Vec<_> = (0..32).map(|i| format_ident!("S{i}")).collect();
        let rows = (0..32).flat_map(|i| {
            let names = &names;
            (0..8).map(move |k| {
                let (from, to) = (&names[i], &names[(i + k + 1) % 32]);
                let event = format_ident!("E{k}");
                if k < 5 {
                    quote!(#from + #event => #to then act,)
                } else {
                    quote!(#from + #event => #to,)
                }
            })
        });
        let out = expand(quote! {
            #[state_machine(event = Ev, initial = S0, transitions = [#(#rows)*])]
            enum M { #(#names),* }
        });
        assert!(!table(&out) && matches(&out), "{out}");
    }

    #[test]
    fn sparse_tables_keep_the_match() {
        // Forty states in a ring, and forty events each accepted in one state only: 80 of
        // 1,640 cells are filled, two a state.
        let states: Vec<_> = (0..40).map(|i| format_ident!("S{i}")).collect();
        let ring = (0..40).map(|i| {
            let (from, to) = (&states[i], &states[(i + 1) % 40]);
            let event = format_ident!("E{i}");
            quote!(#from + Next => #to, #from + #event => #from,)
        });
        let out = expand(quote! {
            #[state_machine(event = Ev, initial = S0, transitions = [#(#ring)*])]
            enum M { #(#states),* }
        });
        assert!(!table(&out), "{out}");
    }
}
