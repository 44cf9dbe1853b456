use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;

use super::FactoryNames;
use super::unknown_name::{UnknownName, closest, write_expected};

/// A name that matches no kind of the factory whose kind enum is `K`: the error of every
/// lookup (`from_name`, `FromStr`, `TryFrom<&str>`).
///
/// It is zero-sized: everything it says comes from `K`'s tables, so a miss costs what a hit
/// does and a `Result<K, UnknownKind<K>>` is as small as `K` itself. Its message lists the
/// accepted names; to echo the name that was given and suggest the closest accepted one,
/// call [`with_given`](UnknownKind::with_given) where the error is shown.
///
/// # Example
///
/// ```
/// use patternkit::{Factory, UnknownKind};
///
/// #[derive(Factory, Debug)]
/// enum Channel {
///     Email,
///     Sms,
///     Push,
/// }
///
/// let error: UnknownKind<ChannelKind> = ChannelKind::from_name("emial").unwrap_err();
/// assert_eq!(size_of::<Result<ChannelKind, UnknownKind<ChannelKind>>>(), 1);
/// assert_eq!(
///     error.to_string(),
///     "unknown `Channel` kind; expected one of \"email\", \"sms\", \"push\""
/// );
/// assert_eq!(error.suggestion_for("emial"), Some("email"));
/// assert_eq!(
///     error.with_given("emial").to_string(),
///     "unknown `Channel` kind \"emial\"; expected one of \"email\", \"sms\", \"push\"; \
///      did you mean \"email\"?"
/// );
/// ```
pub struct UnknownKind<K> {
    kind: PhantomData<fn() -> K>,
}

impl<K> UnknownKind<K> {
    /// The error; `from_name` makes it when no name matches.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        Self { kind: PhantomData }
    }
}

impl<K: FactoryNames> UnknownKind<K> {
    /// The name of the factory enum.
    #[must_use]
    pub fn factory(self) -> &'static str {
        K::FACTORY
    }

    /// Every accepted name and alias, in declaration order.
    #[must_use]
    pub fn expected(self) -> &'static [&'static str] {
        K::ACCEPTED
    }

    /// The accepted name closest to `given`, if it is within two edits (an insertion,
    /// deletion, substitution or swap of neighbours, ignoring ASCII case).
    #[must_use]
    pub fn suggestion_for(self, given: &str) -> Option<&'static str> {
        closest(given, given.len(), K::ACCEPTED)
    }

    /// The same error keeping (the beginning of) the name that was given, for a message that
    /// echoes it and suggests the closest accepted name. See [`UnknownName`] for the bounds
    /// that make it safe on untrusted input.
    #[must_use]
    pub fn with_given(self, given: &str) -> UnknownName {
        UnknownName::new(K::FACTORY, given, K::ACCEPTED)
    }
}

impl<K: FactoryNames> fmt::Display for UnknownKind<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown `{}` kind; ", K::FACTORY)?;
        write_expected(f, K::ACCEPTED)
    }
}

impl<K: FactoryNames> fmt::Debug for UnknownKind<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownKind")
            .field("factory", &K::FACTORY)
            .finish()
    }
}

impl<K: FactoryNames> core::error::Error for UnknownKind<K> {}

impl<K> Clone for UnknownKind<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for UnknownKind<K> {}

impl<K> Default for UnknownKind<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> PartialEq for UnknownKind<K> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<K> Eq for UnknownKind<K> {}

impl<K> Hash for UnknownKind<K> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}
