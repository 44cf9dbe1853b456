use core::fmt;

/// A name that matches no kind of a factory.
///
/// It keeps the name that was given and knows every name that would have been accepted; its
/// message suggests the closest one when a name is within two edits.
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
/// let error = Channel::from_name("emial").unwrap_err();
/// assert_eq!(error.given(), "emial");
/// assert_eq!(error.suggestion(), Some("email"));
/// assert_eq!(
///     error.to_string(),
///     "unknown `Channel` kind \"emial\"; expected one of \"email\", \"sms\", \"push\"; \
///      did you mean \"email\"?"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownKind {
    factory: &'static str,
    given: Given,
    expected: &'static [&'static str],
}

/// The name given, kept without allocating when it is short, so that a miss costs little
/// more than a hit.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Given {
    /// The name when it is at most `INLINE` bytes long; zero after `len`.
    inline: [u8; INLINE],
    len: usize,
    /// The name when it is longer.
    heap: Option<Box<str>>,
}

const INLINE: usize = 24;

impl Given {
    #[inline]
    fn new(name: &str) -> Self {
        let from = name.as_bytes();
        let len = from.len();
        if len > INLINE {
            return Given {
                inline: [0; INLINE],
                len,
                heap: Some(name.into()),
            };
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

impl UnknownKind {
    /// The error for `given`, looked up in `factory`, which accepts the names `expected`.
    // Inlined so that a caller who drops the error (`.ok()`, `.is_err()`) does not pay for
    // copying the name into it.
    #[inline]
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

    /// The name that matched nothing.
    #[must_use]
    pub fn given(&self) -> &str {
        self.given.as_str()
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
        let mut best: Option<(usize, &'static str)> = None;
        for &name in self.expected {
            let given = self.given();
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
}

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown `{}` kind {:?}; expected ",
            self.factory,
            self.given()
        )?;
        match self.expected {
            [] => f.write_str("no name at all")?,
            [only] => write!(f, "{only:?}")?,
            names => {
                f.write_str("one of ")?;
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name:?}")?;
                }
            }
        }
        if let Some(suggestion) = self.suggestion() {
            write!(f, "; did you mean {suggestion:?}?")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownKind {}

/// Optimal string alignment distance, ASCII case-insensitive.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let eq = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
    // Three rows: the one two back is needed for swaps of neighbours.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
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
    fn distances() {
        assert_eq!(edit_distance(b"email", b"email"), 0);
        assert_eq!(edit_distance(b"EMAIL", b"email"), 0);
        assert_eq!(edit_distance(b"emial", b"email"), 1);
        assert_eq!(edit_distance(b"emai", b"email"), 1);
        assert_eq!(edit_distance(b"xemail", b"email"), 1);
        assert_eq!(edit_distance(b"sns", b"sms"), 1);
        assert_eq!(edit_distance(b"", b"sms"), 3);
        assert_eq!(edit_distance(b"push", b"sms"), 3);
    }

    const NAMES: &[&str] = &["email", "sms", "push"];

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(
            UnknownKind::new("C", "emial", NAMES).suggestion(),
            Some("email")
        );
        assert_eq!(
            UnknownKind::new("C", "psuh", NAMES).suggestion(),
            Some("push")
        );
        assert_eq!(UnknownKind::new("C", "fax", NAMES).suggestion(), None);
        assert_eq!(UnknownKind::new("C", "x", NAMES).suggestion(), None);
    }

    #[test]
    fn message_lists_names_and_keeps_input() {
        let error = UnknownKind::new("Channel", "fax", NAMES);
        assert_eq!(
            error.to_string(),
            "unknown `Channel` kind \"fax\"; expected one of \"email\", \"sms\", \"push\""
        );
        assert_eq!(error.given(), "fax");
        assert_eq!(error.factory(), "Channel");
        assert_eq!(error.expected(), NAMES);
        for len in 0..40 {
            let name: String = ('a'..='z').cycle().take(len).collect();
            let error = UnknownKind::new("C", &name, NAMES);
            assert_eq!(error.given(), name);
            assert_eq!(error, UnknownKind::new("C", &name, NAMES));
        }
        assert_eq!(UnknownKind::new("C", "ünïcødé", NAMES).given(), "ünïcødé");
        let one = UnknownKind::new("Solo", "b", &["a"]);
        assert_eq!(one.to_string(), "unknown `Solo` kind \"b\"; expected \"a\"");
    }
}
