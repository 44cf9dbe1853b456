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

/// The first `len < 8` bytes of `bytes` (which is `len` long), zero-padded, little-endian.
#[inline]
#[must_use]
pub fn short_word(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let len = bytes.len().min(8);
    word[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(word)
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
    }
}
