//! The row `next` answers, read from the table of rows the derive writes for a machine whose
//! `next` has no guard to ask: one `u16` per state and event, rather than a `match` the
//! compiler checks for every machine.

use super::TransitionInfo;

/// The row in `rows` (`width` cells a state, the last for the events the table does not
/// name) at `state` and `event`; an event index past the named ones is one of those, and a
/// row index past `transitions` (`u16::MAX`) is a cell no row fires in.
#[doc(hidden)]
#[inline]
#[must_use]
pub fn next_row(
    transitions: &'static [TransitionInfo],
    rows: &[u16],
    width: usize,
    state: u16,
    event: u16,
) -> Option<&'static TransitionInfo> {
    let column = usize::from(event).min(width.saturating_sub(1));
    let row = *rows.get(usize::from(state) * width + column)?;
    transitions.get(usize::from(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROWS: [TransitionInfo; 2] = [
        TransitionInfo::to(&["A"], "A", "Go", "B"),
        TransitionInfo::to(&["A", "B"], "_", "_", "A"),
    ];

    #[test]
    fn each_cell_names_its_row_and_unnamed_events_read_the_last_column() {
        // Two states, one named event and the column for the others.
        let cells = [0, 1, u16::MAX, 1];
        assert_eq!(next_row(&ROWS, &cells, 2, 0, 0), Some(&ROWS[0]));
        assert_eq!(next_row(&ROWS, &cells, 2, 1, 0), None);
        assert_eq!(next_row(&ROWS, &cells, 2, 1, u16::MAX), Some(&ROWS[1]));
        assert_eq!(next_row(&ROWS, &cells, 2, 0, 7), Some(&ROWS[1]));
        assert_eq!(
            next_row(&ROWS, &cells, 2, 9, 0),
            None,
            "a state past the table"
        );
    }
}
