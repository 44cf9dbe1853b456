//! [`FactoryIter`]: one new value of every variant of a factory, in declaration order.

use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use core::slice;

use super::Factory;

/// An iterator over one new value of each variant of `F`, in declaration order, each built
/// by [`Factory::create`]; returned by [`Factory::iter`].
///
/// It knows its length, runs from both ends and can be cloned, as strum's `EnumIter`
/// iterators do. Variants left out with `#[factory(skip)]` are not produced.
///
/// # Example
///
/// ```
/// use patternkit::Factory;
///
/// #[derive(Factory, Debug, PartialEq)]
/// enum Shape {
///     Circle { radius: u32 },
///     Point,
/// }
///
/// let mut shapes = Shape::iter();
/// assert_eq!(shapes.len(), 2);
/// assert_eq!(shapes.next(), Some(Shape::Circle { radius: 0 }));
/// assert_eq!(shapes.next_back(), Some(Shape::Point));
/// assert_eq!(shapes.next(), None);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct FactoryIter<F: Factory> {
    kinds: slice::Iter<'static, F::Kind>,
    // Values of `F` are made, never held.
    made: PhantomData<fn() -> F>,
}

impl<F: Factory> FactoryIter<F> {
    pub(super) fn new() -> Self {
        FactoryIter {
            kinds: F::kinds().iter(),
            made: PhantomData,
        }
    }
}

impl<F: Factory> Iterator for FactoryIter<F> {
    type Item = F;

    #[inline]
    fn next(&mut self) -> Option<F> {
        self.kinds.next().map(|&kind| F::create(kind))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.kinds.size_hint()
    }

    #[inline]
    fn nth(&mut self, n: usize) -> Option<F> {
        // The kinds passed over are not built.
        self.kinds.nth(n).map(|&kind| F::create(kind))
    }

    #[inline]
    fn count(self) -> usize {
        self.kinds.len()
    }

    #[inline]
    fn last(mut self) -> Option<F> {
        self.next_back()
    }
}

impl<F: Factory> DoubleEndedIterator for FactoryIter<F> {
    #[inline]
    fn next_back(&mut self) -> Option<F> {
        self.kinds.next_back().map(|&kind| F::create(kind))
    }

    #[inline]
    fn nth_back(&mut self, n: usize) -> Option<F> {
        self.kinds.nth_back(n).map(|&kind| F::create(kind))
    }
}

impl<F: Factory> ExactSizeIterator for FactoryIter<F> {}

impl<F: Factory> FusedIterator for FactoryIter<F> {}

// By hand: a derive would ask `F: Clone`, which a cursor over kinds does not need.
impl<F: Factory> Clone for FactoryIter<F> {
    fn clone(&self) -> Self {
        FactoryIter {
            kinds: self.kinds.clone(),
            made: PhantomData,
        }
    }
}

impl<F: Factory> fmt::Debug for FactoryIter<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FactoryIter")
            .field("remaining", &self.kinds.as_slice())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::FactoryIter;
    use crate::factory::{Factory, FactoryKind, FactoryNames, UnknownKind};

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Side {
        Left,
        Right,
    }

    impl core::fmt::Display for Side {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str(self.name())
        }
    }

    impl core::str::FromStr for Side {
        type Err = UnknownKind<Side>;
        fn from_str(name: &str) -> Result<Self, Self::Err> {
            Self::from_name(name)
        }
    }

    impl FactoryNames for Side {
        const FACTORY: &'static str = "Hand";
        const NAMES: &'static [&'static str] = &["left", "right"];
    }

    impl FactoryKind for Side {
        const ALL: &'static [Self] = &[Side::Left, Side::Right];
        fn name(self) -> &'static str {
            Self::NAMES[self as usize]
        }
        fn from_name(name: &str) -> Result<Self, UnknownKind<Self>> {
            match name {
                "left" => Ok(Side::Left),
                "right" => Ok(Side::Right),
                _ => Err(UnknownKind::new()),
            }
        }
    }

    #[derive(Debug, PartialEq)]
    struct Hand(Side);

    impl Factory for Hand {
        type Kind = Side;
        fn create(kind: Side) -> Self {
            Hand(kind)
        }
        fn kind(&self) -> Option<Side> {
            Some(self.0)
        }
    }

    #[test]
    fn it_makes_every_variant_from_either_end_and_knows_how_many_are_left() {
        let mut hands = Hand::iter();
        assert_eq!(hands.len(), 2);
        let copy = hands.clone();
        assert_eq!(hands.next_back(), Some(Hand(Side::Right)));
        assert_eq!(hands.len(), 1);
        assert_eq!(hands.next(), Some(Hand(Side::Left)));
        assert_eq!((hands.next(), hands.next_back()), (None, None));
        assert_eq!(copy.count(), 2);
        assert_eq!(Hand::iter().nth(1), Some(Hand(Side::Right)));
        assert_eq!(Hand::iter().nth_back(1), Some(Hand(Side::Left)));
        assert_eq!(Hand::iter().last(), Some(Hand(Side::Right)));
        assert_eq!(
            format!("{:?}", FactoryIter::<Hand>::new()),
            "FactoryIter { remaining: [Left, Right] }"
        );
    }
}
