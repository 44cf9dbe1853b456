use alloc::boxed::Box;
use alloc::vec;
use core::fmt;

/// A name that matched no kind, kept with the error: what
/// [`UnknownKind::with_given`](crate::UnknownKind::with_given) makes when a message should
/// echo the name and suggest the closest accepted one.
///
/// The lookup itself returns the zero-sized [`UnknownKind`](crate::UnknownKind), so a miss
/// costs nothing; this type is for the moment the error is shown.
///
/// # Untrusted names
///
/// Names often come from outside (a request, a file), so whatever their length the error
/// costs little to make, keep and show:
///
/// - it keeps at most the first [`UnknownName::KEPT`] bytes of the name (cut at a character
///   boundary) and its whole length in bytes: [`given`](UnknownName::given) is the name
///   itself when it is that short, and its beginning otherwise
///   ([`given_is_cut`](UnknownName::given_is_cut) says which);
/// - the message shows at most [`UnknownName::ECHOED`] bytes of it, followed by `…` and the
///   whole length when it was cut;
/// - the message lists at most [`UnknownName::LISTED`] accepted names, then how many more
///   there are;
/// - the suggestion compares only names whose length is within two bytes of the one given,
///   so its cost depends on the accepted names, not on the input.
///
/// ```
/// use patternkit::Factory;
///
/// #[derive(Factory, Debug)]
/// enum Channel {
///     Email,
///     Sms,
/// }
///
/// let long = "x".repeat(1 << 20);
/// let error = Channel::from_name(&long).unwrap_err().with_given(&long);
/// assert!(error.given_is_cut());
/// assert_eq!(error.given().len(), patternkit::UnknownName::KEPT);
/// assert_eq!(error.given_len(), 1 << 20);
/// assert!(error.to_string().len() < 200);
/// assert!(error.to_string().contains("\"… (1048576 bytes)"));
/// ```
///
/// # Example
///
/// ```
/// use patternkit::Factory;
///
/// #[derive(Factory, Debug)]
/// enum Channel {
///     Email,
///     Sms,
///     Push,
/// }
///
/// let error = Channel::from_name("emial").unwrap_err().with_given("emial");
/// assert_eq!(error.given(), "emial");
/// assert_eq!(error.suggestion(), Some("email"));
/// assert_eq!(
///     error.to_string(),
///     "unknown `Channel` kind \"emial\"; expected one of \"email\", \"sms\", \"push\"; \
///      did you mean \"email\"?"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownName {
    factory: &'static str,
    given: Given,
    expected: &'static [&'static str],
}

/// The name given, kept without allocating when it is short, so that a miss costs little
/// more than a hit, and never more than its first [`UnknownName::KEPT`] bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Given {
    /// The name when it is at most `INLINE` bytes long; zero after `len`.
    inline: [u8; INLINE],
    /// The whole name's length in bytes.
    len: usize,
    /// The name, or its first bytes, when it is longer.
    heap: Option<Box<str>>,
}

const INLINE: usize = 24;

/// The longest prefix of `text` that is at most `max` bytes and whole characters.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Given {
    #[inline]
    fn new(name: &str) -> Self {
        let from = name.as_bytes();
        let len = from.len();
        if len > INLINE {
            return Self::long(name);
        }
        // Fixed-size, possibly overlapping copies instead of a call to `memcpy`: a miss is on
        // the hot path of code that parses untrusted names. Every write stays inside
        // `..len`, so the bytes after it stay zero and equality and hashing are unaffected.
        let mut bytes = [0u8; INLINE];
        if len >= 8 {
            let mut at = 0;
            while at + 8 < len {
                bytes[at..at + 8].copy_from_slice(&from[at..at + 8]);
                at += 8;
            }
            bytes[len - 8..len].copy_from_slice(&from[len - 8..]);
        } else if len >= 4 {
            bytes[..4].copy_from_slice(&from[..4]);
            bytes[len - 4..len].copy_from_slice(&from[len - 4..]);
        } else {
            for (to, from) in bytes.iter_mut().zip(from) {
                *to = *from;
            }
        }
        Given {
            inline: bytes,
            len,
            heap: None,
        }
    }

    #[cold]
    #[inline(never)]
    fn long(name: &str) -> Self {
        Given {
            inline: [0; INLINE],
            len: name.len(),
            heap: Some(prefix(name, UnknownName::KEPT).into()),
        }
    }

    fn as_str(&self) -> &str {
        match &self.heap {
            Some(name) => name,
            // Always whole UTF-8: copied from a `&str`, never cut.
            None => core::str::from_utf8(&self.inline[..self.len]).unwrap_or_default(),
        }
    }
}

impl fmt::Debug for Given {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl UnknownName {
    /// How many bytes of the given name the error keeps, at most.
    pub const KEPT: usize = 256;

    /// How many bytes of the given name the message shows, at most.
    pub const ECHOED: usize = 64;

    /// How many accepted names a message lists, at most; [`expected`](UnknownName::expected)
    /// has them all.
    pub const LISTED: usize = 32;

    /// The error for `given`, looked up in `factory`, which accepts the names `expected`.
    #[must_use]
    pub fn new(factory: &'static str, given: &str, expected: &'static [&'static str]) -> Self {
        Self {
            factory,
            given: Given::new(given),
            expected,
        }
    }

    /// The name of the factory enum.
    #[must_use]
    pub fn factory(&self) -> &'static str {
        self.factory
    }

    /// The name that matched nothing: all of it when it is at most [`UnknownName::KEPT`]
    /// bytes long, otherwise its beginning (see [`given_is_cut`](UnknownName::given_is_cut)).
    #[must_use]
    pub fn given(&self) -> &str {
        self.given.as_str()
    }

    /// The whole length of the name given, in bytes, also when only its beginning is kept.
    #[must_use]
    pub fn given_len(&self) -> usize {
        self.given.len
    }

    /// Whether [`given`](UnknownName::given) is only the beginning of the name given.
    #[must_use]
    pub fn given_is_cut(&self) -> bool {
        self.given().len() < self.given.len
    }

    /// Every accepted name and alias, in declaration order.
    #[must_use]
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }

    /// The accepted name closest to the one given, if it is within two edits (an insertion,
    /// deletion, substitution or swap of neighbours, ignoring ASCII case).
    #[must_use]
    pub fn suggestion(&self) -> Option<&'static str> {
        closest(self.given(), self.given_len(), self.expected)
    }
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = self.given();
        let shown = prefix(given, Self::ECHOED);
        write!(f, "unknown `{}` kind {shown:?}", self.factory)?;
        if shown.len() < self.given_len() {
            write!(f, "… ({} bytes)", self.given_len())?;
        }
        f.write_str("; ")?;
        write_expected(f, self.expected)?;
        if let Some(suggestion) = self.suggestion() {
            write!(f, "; did you mean {suggestion:?}?")?;
        }
        Ok(())
    }
}

impl core::error::Error for UnknownName {}

/// The name of `names` within two edits of `given` (whose whole length is `len`: `given` may
/// be only its beginning), the closest first.
pub(super) fn closest(given: &str, len: usize, names: &[&'static str]) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for &name in names {
        // Each edit changes the length by at most one byte: names further off cannot be
        // within two, and the distance is never computed on a long input.
        if len.abs_diff(name.len()) > 2 {
            continue;
        }
        let distance = edit_distance(given.as_bytes(), name.as_bytes());
        if distance <= 2
            && distance < name.len().max(given.len())
            && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// `expected "a"`, `expected one of "a", "b"` (at most [`UnknownName::LISTED`], then how many
/// more), or `expected no name at all`.
pub(super) fn write_expected(f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
    f.write_str("expected ")?;
    match names {
        [] => f.write_str("no name at all"),
        [only] => write!(f, "{only:?}"),
        names => {
            f.write_str("one of ")?;
            for (i, name) in names.iter().take(UnknownName::LISTED).enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{name:?}")?;
            }
            if names.len() > UnknownName::LISTED {
                write!(f, " and {} more", names.len() - UnknownName::LISTED)?;
            }
            Ok(())
        }
    }
}

/// Optimal string alignment distance, ASCII case-insensitive.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    // Accepted names are short: their rows fit on the stack, so a suggestion allocates
    // nothing however many names are compared.
    const STACK: usize = 64;
    if b.len() < STACK {
        let mut rows = [[0usize; STACK]; 3];
        distance_in(a, b, &mut rows)
    } else {
        let mut rows = vec![vec![0usize; b.len() + 1]; 3];
        distance_in(a, b, &mut rows)
    }
}

/// The distance, in three rows of at least `b.len() + 1` cells: the row two back is needed
/// for swaps of neighbours.
fn distance_in<R: AsMut<[usize]>>(a: &[u8], b: &[u8], rows: &mut [R]) -> usize {
    let eq = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
    let [before, previous, current] = rows else {
        return a.len().max(b.len());
    };
    let (mut before, mut previous, mut current) =
        (before.as_mut(), previous.as_mut(), current.as_mut());
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(!eq(a[i - 1], b[j - 1]));
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]) {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        core::mem::swap(&mut before, &mut previous);
        core::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_kept_and_shown_cut() {
        // 'é' is two bytes: the cut falls between characters, never inside one.
        let name = format!("x{}", "é".repeat(1000));
        let error = UnknownName::new("C", &name, NAMES);
        assert!(error.given_is_cut());
        assert_eq!(error.given_len(), name.len());
        assert_eq!(error.given().len(), UnknownName::KEPT - 1);
        assert!(name.starts_with(error.given()));
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "unknown `C` kind \"x{}\"… (2001 bytes)",
                "é".repeat(31)
            )),
            "{message}"
        );
        assert_eq!(error.suggestion(), None);
        // Just past what is shown, but whole in `given`.
        let error = UnknownName::new("C", &"y".repeat(100), NAMES);
        assert!(!error.given_is_cut());
        assert!(error.to_string().contains("… (100 bytes)"));
    }

    #[test]
    fn the_suggestion_skips_names_of_another_length() {
        assert_eq!(
            UnknownName::new("C", "emailxx", NAMES).suggestion(),
            Some("email")
        );
        assert_eq!(UnknownName::new("C", "emailxxx", NAMES).suggestion(), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance(b"email", b"email"), 0);
        assert_eq!(edit_distance(b"EMAIL", b"email"), 0);
        assert_eq!(edit_distance(b"emial", b"email"), 1);
        assert_eq!(edit_distance(b"emai", b"email"), 1);
        assert_eq!(edit_distance(b"xemail", b"email"), 1);
        assert_eq!(edit_distance(b"sns", b"sms"), 1);
        assert_eq!(edit_distance(b"", b"sms"), 3);
        assert_eq!(edit_distance(b"push", b"sms"), 3);
        let long = "ab".repeat(40);
        assert_eq!(edit_distance(long.as_bytes(), &long.as_bytes()[1..]), 1);
        assert_eq!(edit_distance(b"", long.as_bytes()), 80);
    }

    const NAMES: &[&str] = &["email", "sms", "push"];

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(
            UnknownName::new("C", "emial", NAMES).suggestion(),
            Some("email")
        );
        assert_eq!(
            UnknownName::new("C", "psuh", NAMES).suggestion(),
            Some("push")
        );
        assert_eq!(UnknownName::new("C", "fax", NAMES).suggestion(), None);
        assert_eq!(UnknownName::new("C", "x", NAMES).suggestion(), None);
    }

    /// Forty names, for a message that lists only some.
    const MANY: [&str; 40] = [
        "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12", "n13",
        "n14", "n15", "n16", "n17", "n18", "n19", "n20", "n21", "n22", "n23", "n24", "n25", "n26",
        "n27", "n28", "n29", "n30", "n31", "n32", "n33", "n34", "n35", "n36", "n37", "n38", "n39",
    ];

    #[test]
    fn message_lists_names_and_keeps_input() {
        let error = UnknownName::new("Channel", "fax", NAMES);
        assert_eq!(
            error.to_string(),
            "unknown `Channel` kind \"fax\"; expected one of \"email\", \"sms\", \"push\""
        );
        assert_eq!(error.given(), "fax");
        assert_eq!(error.factory(), "Channel");
        assert_eq!(error.expected(), NAMES);
        for len in 0..40 {
            let name: String = ('a'..='z').cycle().take(len).collect();
            let error = UnknownName::new("C", &name, NAMES);
            assert_eq!(error.given(), name);
            assert_eq!(error, UnknownName::new("C", &name, NAMES));
        }
        assert_eq!(UnknownName::new("C", "ünïcødé", NAMES).given(), "ünïcødé");
        assert!(!UnknownName::new("C", &"a".repeat(256), NAMES).given_is_cut());
        let message = UnknownName::new("Big", "zz", &MANY).to_string();
        assert!(message.ends_with("\"n31\" and 8 more"), "{message}");
        let one = UnknownName::new("Solo", "b", &["a"]);
        assert_eq!(one.to_string(), "unknown `Solo` kind \"b\"; expected \"a\"");
    }
}
