//! Maps keyed by `TypeId`, hashed as they are: a `TypeId` is already a hash, and hashing it
//! again with `SipHash` only costs time on every lookup.

use core::any::TypeId;
use core::hash::{BuildHasher, Hasher};
use std::collections::HashMap;

pub(crate) type TypeMap<V> = HashMap<TypeId, V, BuildTypeIdHasher>;

/// `value` as the `T` it is known to be: a value kept under `TypeId::of::<T>()` in a map of
/// erased values, where only a `T` is ever put under that key. What `downcast_ref` returns,
/// without asking the value its type again on every lookup.
///
/// # Safety
///
/// `value` is a `T`.
#[inline]
pub(crate) unsafe fn downcast_unchecked<T: 'static>(
    value: &(dyn core::any::Any + Send + Sync),
) -> &T {
    debug_assert!(value.is::<T>());
    // The data pointer of a `&dyn Any` that is a `T` points at a `T`, aligned as one.
    #[allow(clippy::cast_ptr_alignment)]
    let value = core::ptr::from_ref(value).cast::<T>();
    // SAFETY: the caller's contract: the value is a `T`.
    unsafe { &*value }
}

#[derive(Clone, Copy, Default)]
pub(crate) struct BuildTypeIdHasher;

#[derive(Default)]
pub(crate) struct TypeIdHasher(u64);

impl BuildHasher for BuildTypeIdHasher {
    type Hasher = TypeIdHasher;

    fn build_hasher(&self) -> TypeIdHasher {
        TypeIdHasher(0)
    }
}

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by `TypeId` today; mixes anything else in rather than dropping it.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
}

/// A map from `TypeId` built once and then only read, as the runtime DI container's bindings
/// and the CQRS registry's handlers are: a lookup is one index computed from the `TypeId`'s
/// own hash bits, one slot and one key comparison, with no probing.
///
/// Built by searching for a table size and a bit offset at which every key's hash bits are
/// distinct (a perfect hash); such a table is found at once for the sizes registries have.
/// Should none be found within a bounded size, every entry goes to a hash map instead, which
/// a lookup then asks after missing the (empty) table.
pub(crate) struct FrozenTypeMap<V> {
    /// The entries of the perfect table, in no particular order.
    entries: Box<[(TypeId, V)]>,
    /// `slots[(hash >> shift) & mask]` is an index into `entries`, or `u32::MAX`; there are
    /// `mask + 1` of them.
    slots: Box<[u32]>,
    shift: u32,
    mask: u64,
    /// Every entry, when no perfect table was found.
    fallback: Option<TypeMap<V>>,
}

/// The most hash bits a perfect table may use: 2^16 slots of four bytes.
const MAX_BITS: u32 = 16;

#[inline]
fn hash_of(id: &TypeId) -> u64 {
    BuildTypeIdHasher.hash_one(id)
}

impl<V> FrozenTypeMap<V> {
    pub(crate) fn new(map: TypeMap<V>) -> Self {
        let entries: Vec<(TypeId, V)> = map.into_iter().collect();
        let hashes: Vec<u64> = entries.iter().map(|(id, _)| hash_of(id)).collect();
        let Some((bits, shift)) = perfect_fit(&hashes) else {
            return FrozenTypeMap {
                entries: Box::new([]),
                slots: Box::new([u32::MAX]),
                shift: 0,
                mask: 0,
                fallback: Some(entries.into_iter().collect()),
            };
        };
        let mask = (1u64 << bits) - 1;
        let mut slots = vec![u32::MAX; 1 << bits].into_boxed_slice();
        for (index, hash) in hashes.iter().enumerate() {
            // The slot is free (the fit was checked) and the index fits: at most 2^16 slots
            // hold distinct entries, so there are fewer than u32::MAX of them.
            let slot = usize::try_from((hash >> shift) & mask).unwrap_or(0);
            slots[slot] = u32::try_from(index).unwrap_or(u32::MAX);
        }
        FrozenTypeMap {
            entries: entries.into_boxed_slice(),
            slots,
            shift,
            mask,
            fallback: None,
        }
    }

    #[inline]
    pub(crate) fn get(&self, id: &TypeId) -> Option<&V> {
        // An index of `u32::MAX` is past `entries` and reads as no entry.
        let slot = usize::try_from((hash_of(id) >> self.shift) & self.mask).unwrap_or(0);
        debug_assert!(slot < self.slots.len());
        // SAFETY: both constructors make `mask + 1` slots, so `slot <= mask` is in range
        // whatever the hash.
        let index = unsafe { *self.slots.get_unchecked(slot) };
        match self
            .entries
            .get(usize::try_from(index).unwrap_or(usize::MAX))
        {
            Some((key, value)) if key == id => Some(value),
            _ => self.missed(id),
        }
    }

    /// A key the perfect table does not hold: absent, or in the fallback map.
    #[cold]
    fn missed(&self, id: &TypeId) -> Option<&V> {
        self.fallback.as_ref()?.get(id)
    }

    pub(crate) fn contains_key(&self, id: &TypeId) -> bool {
        self.get(id).is_some()
    }

    /// Every value, in no particular order.
    #[cfg(test)]
    fn values(&self) -> Vec<&V> {
        match &self.fallback {
            Some(map) => map.values().collect(),
            None => self.entries.iter().map(|(_, v)| v).collect(),
        }
    }
}

/// The fewest bits, and an offset into the hash, at which `hashes` fall in distinct slots.
fn perfect_fit(hashes: &[u64]) -> Option<(u32, u32)> {
    // At least twice as many slots as keys, so a fit is likely at the first size tried.
    let least = usize::BITS - (hashes.len().max(1) * 2 - 1).leading_zeros();
    let mut taken = Vec::new();
    for bits in least..=MAX_BITS {
        let mask = (1u64 << bits) - 1;
        for shift in 0..=(u64::BITS - bits) {
            taken.clear();
            taken.resize(1 << bits, false);
            let distinct = hashes.iter().all(|hash| {
                let slot = usize::try_from((hash >> shift) & mask).unwrap_or(0);
                !core::mem::replace(&mut taken[slot], true)
            });
            if distinct {
                return Some((bits, shift));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<TypeId> {
        macro_rules! ids {
            ($($t:ty),*) => { vec![$(TypeId::of::<$t>()),*] };
        }
        ids!(
            u8,
            u16,
            u32,
            u64,
            u128,
            i8,
            i16,
            i32,
            i64,
            i128,
            usize,
            isize,
            f32,
            f64,
            bool,
            char,
            String,
            &'static str,
            (),
            (u8,),
            (u8, u8),
            Vec<u8>,
            Vec<u16>,
            Option<u8>,
            Option<u16>,
            Box<u8>,
            [u8; 1],
            [u8; 2],
            [u8; 3],
            [u16; 1],
            fn(),
            fn(u8)
        )
    }

    #[test]
    fn every_key_is_found_and_nothing_else() {
        let all = ids();
        for n in 0..=all.len() {
            let (inside, outside) = all.split_at(n);
            let map: TypeMap<usize> = inside.iter().copied().zip(0..).collect();
            let frozen = FrozenTypeMap::new(map);
            assert!(frozen.fallback.is_none(), "{n} keys");
            for (value, id) in inside.iter().enumerate() {
                assert_eq!(frozen.get(id), Some(&value));
            }
            for id in outside {
                assert_eq!(frozen.get(id), None);
            }
            assert_eq!(frozen.values().len(), n);
        }
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "an exhaustive search without unsafe code, too slow under Miri"
    )]
    fn keys_that_share_their_hash_bits_fall_back_to_hashing() {
        // Twice the same hash cannot be told apart by any slice of it.
        assert_eq!(perfect_fit(&[7, 7]), None);
        assert_eq!(perfect_fit(&[1, 2]), Some((2, 0)));
        assert_eq!(perfect_fit(&[]), Some((1, 0)));
    }

    #[test]
    fn the_fallback_finds_every_key_too() {
        let all = ids();
        let map: TypeMap<usize> = all.iter().copied().zip(0..).collect();
        let frozen = FrozenTypeMap {
            entries: Box::new([]),
            slots: Box::new([u32::MAX]),
            shift: 0,
            mask: 0,
            fallback: Some(map),
        };
        for (value, id) in all.iter().enumerate() {
            assert_eq!(frozen.get(id), Some(&value));
        }
        assert_eq!(frozen.get(&TypeId::of::<[u64; 7]>()), None);
    }
}
