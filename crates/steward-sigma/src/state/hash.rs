//! A stable 64-bit hash for the values counted in correlation state.
//!
//! Checkpoints hold these hashes, so the function must never change: a new
//! hash would need a new state version. It is not keyed and not meant to
//! resist collisions on purpose; it spreads short identifiers (ids, IPs)
//! evenly over 64 bits, which is what the distinct counters need (the
//! HyperLogLog registers read its high and low bits).

const M1: u64 = 0xbf58_476d_1ce4_e5b9;
const M2: u64 = 0x94d0_49bb_1331_11eb;
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// The splitmix64 finaliser: a bijection with full avalanche.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(M1);
    z = (z ^ (z >> 27)).wrapping_mul(M2);
    z ^ (z >> 31)
}

/// Hashes `bytes`: eight bytes at a time through a multiply-rotate step,
/// the length folded in, then [`mix`].
#[must_use]
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    let mut h = SEED ^ (bytes.len() as u64).wrapping_mul(M2);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(M1)
            .rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h ^ steward_model::bytes::le_word(rest))
            .wrapping_mul(M1)
            .rotate_left(29);
    }
    mix(h)
}

/// Hashes a tuple of values (multi-field `value_count`): each part hashed,
/// then combined in order.
#[must_use]
pub(crate) fn hash_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    parts.into_iter().fold(SEED, |acc, part| {
        mix(acc.rotate_left(17) ^ hash64(part.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // Pinned: checkpoints depend on these never changing.
        assert_eq!(hash64(b""), mix(SEED));
        assert_eq!(hash64(b"42"), hash64(b"42"));
        assert_ne!(hash64(b"42"), hash64(b"43"));
        assert_ne!(hash64(b"12345678"), hash64(b"123456789"));
        assert_ne!(hash_parts(["a", "bc"]), hash_parts(["ab", "c"]));
    }

    #[test]
    fn spreads_sequential_ids() {
        // Sequential ids must fill both halves of the top bit and the low
        // bits evenly (the HLL uses both).
        let n = 100_000u64;
        let high = (0..n)
            .filter(|i| hash64(i.to_string().as_bytes()) >> 63 == 1)
            .count();
        let low = (0..n)
            .filter(|i| hash64(i.to_string().as_bytes()) & 1 == 1)
            .count();
        for count in [high, low] {
            let share = count as f64 / n as f64;
            assert!((0.49..0.51).contains(&share), "share {share}");
        }
    }
}
