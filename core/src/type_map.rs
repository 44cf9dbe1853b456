//! Maps keyed by `TypeId`, hashed as they are: a `TypeId` is already a hash, and hashing it
//! again with `SipHash` only costs time on every lookup.

use core::any::TypeId;
use core::hash::{BuildHasher, Hasher};
use std::collections::HashMap;

pub(crate) type TypeMap<V> = HashMap<TypeId, V, BuildTypeIdHasher>;

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
