//! Reading a name eight bytes at a time, for the lookup code `#[derive(Factory)]` generates.
//!
//! The generated code compares each word against constants folded at compile time:
//! `(word | mask) == lower`, where `mask` has `0x20` at the bytes where the expected name has
//! an ASCII letter. For a letter that accepts exactly its two cases; elsewhere it compares
//! exactly. A name is compared in one to three such steps instead of byte by byte.

/// The eight bytes of `bytes` from `at`, little-endian; `0` if fewer remain.
#[inline]
#[must_use]
pub fn word_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        Some(word) => u64::from_le_bytes(*word),
        None => 0,
    }
}

/// The bytes of `bytes` (fewer than eight), zero-padded, little-endian.
///
/// Two overlapping loads instead of a copy of variable length: where the length is known, as
/// in each arm of the generated lookup, this folds to two or three loads and shifts.
#[inline]
#[must_use]
pub fn short_word(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    match len {
        0 => 0,
        1..=3 => {
            let first = u64::from(bytes[0]);
            let middle = u64::from(bytes[len / 2]) << (8 * (len / 2));
            let last = u64::from(bytes[len - 1]) << (8 * (len - 1));
            first | middle | last
        }
        4..=7 => {
            let low = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            let high = u32::from_le_bytes([
                bytes[len - 4],
                bytes[len - 3],
                bytes[len - 2],
                bytes[len - 1],
            ]);
            u64::from(low) | (u64::from(high) << (8 * (len - 4)))
        }
        _ => word_at(bytes, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(word_at(b"abcdefghij", 2), u64::from_le_bytes(*b"cdefghij"));
        assert_eq!(word_at(b"abc", 0), 0);
        assert_eq!(short_word(b"abc"), u64::from_le_bytes(*b"abc\0\0\0\0\0"));
        assert_eq!(short_word(b""), 0);
        for len in 0..8 {
            let bytes = &b"abcdefgh"[..len];
            let mut padded = [0u8; 8];
            padded[..len].copy_from_slice(bytes);
            assert_eq!(short_word(bytes), u64::from_le_bytes(padded), "{len}");
        }
    }
}
