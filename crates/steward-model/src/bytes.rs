//! Reading short byte strings as machine words, for the hashers on the
//! per-event path.

/// The first eight bytes of `bytes` (all of it when shorter) as a
/// little-endian number, zero-padded: the same value as copying the bytes
/// one by one into a zeroed `[u8; 8]`, but read with at most two loads of
/// four bytes that may overlap, or three single bytes. Copying byte by byte
/// and then reading the array as one word stalls the processor (the load
/// cannot be served from the pending byte stores), which was most of the
/// cost of hashing a short key.
#[inline]
#[must_use]
pub fn le_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if let Some(w) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    if n >= 4 {
        let lo = bytes
            .first_chunk::<4>()
            .map_or(0, |w| u32::from_le_bytes(*w));
        let hi = bytes
            .last_chunk::<4>()
            .map_or(0, |w| u32::from_le_bytes(*w));
        return u64::from(lo) | (u64::from(hi) << (8 * (n - 4)));
    }
    // One to three bytes: the first, the middle and the last (some of
    // them the same byte) land at their own places.
    let at = |i: usize| bytes.get(i).map_or(0, |b| u64::from(*b)) << (8 * i);
    if n == 0 {
        0
    } else {
        at(0) | at(n / 2) | at(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytewise(bytes: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        for (slot, b) in w.iter_mut().zip(bytes) {
            *slot = *b;
        }
        u64::from_le_bytes(w)
    }

    #[test]
    fn equals_the_zero_padded_copy_for_every_length() {
        let data: Vec<u8> = (0u8..24)
            .map(|i| i.wrapping_mul(37).wrapping_add(11))
            .collect();
        for start in 0..8 {
            for len in 0..=12 {
                let s = data.get(start..start + len).unwrap();
                assert_eq!(le_word(s), bytewise(s), "start {start} len {len}");
            }
        }
        assert_eq!(le_word(b""), 0);
        assert_eq!(le_word(b"\xff"), 0xff);
        assert_eq!(le_word(b"abcde"), bytewise(b"abcde"));
    }
}
