//! "Did you mean": the accepted key closest to a mistyped one.

/// The candidate within two edits of `written`, the closest first.
pub(super) fn closest<'k>(
    written: &str,
    candidates: impl Iterator<Item = &'k str>,
) -> Option<&'k str> {
    candidates
        .filter_map(|candidate| {
            let distance = distance(written, candidate);
            (distance <= 2 && distance < candidate.len()).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Keys are short; a full table is simplest.
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_within_two_edits() {
        let keys = ["default", "with"];
        assert_eq!(closest("defualt", keys.into_iter()), Some("default"));
        assert_eq!(closest("wiht", keys.into_iter()), Some("with"));
        assert_eq!(closest("zzzzzz", keys.into_iter()), None);
    }
}
