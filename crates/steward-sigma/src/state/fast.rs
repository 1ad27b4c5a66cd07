//! A fast hasher for the maps on the per-event path (group keys, value
//! hashes), seeded once per process so that crafted log values cannot pick
//! colliding buckets ahead of time. Only the in-memory layout depends on the
//! seed; serialised state does not.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use steward_model::bytes::le_word;

const K: u64 = 0x9e37_79b9_7f4a_7c15;

fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        // std's RandomState is seeded from the OS.
        std::collections::hash_map::RandomState::new().hash_one(0x5157_4d41_u64) | 1
    })
}

/// Builds [`FastHasher`]s with the process seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastState(u64);

impl Default for FastState {
    fn default() -> Self {
        Self(seed())
    }
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(self.0)
    }
}

/// Multiply-rotate over eight-byte words, with a final mix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    const fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(K).rotate_left(26);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        self.word(le_word(rest) ^ ((rest.len() as u64) << 56));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.word(n);
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.word(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.word(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let z = (self.0 ^ (self.0 >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z ^ (z >> 29)
    }
}

/// A `HashMap` with [`FastState`].
pub(crate) type FastMap<K, V> = HashMap<K, V, FastState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguishes_keys() {
        let s = FastState::default();
        assert_ne!(s.hash_one("ab"), s.hash_one("ba"));
        assert_ne!(s.hash_one("a"), s.hash_one("a\0"));
        assert_ne!(s.hash_one(1u64), s.hash_one(2u64));
        let mut m: FastMap<String, u32> = FastMap::default();
        m.insert("x".into(), 1);
        assert_eq!(m.get("x"), Some(&1));
    }
}
