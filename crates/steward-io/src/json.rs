//! Byte searches the JSON walkers of `scan` and of the log sources share.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of each byte of the result is set where `w` has a zero byte (and
/// possibly above the first one, never below it).
#[inline]
const fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// The position of the first `"` or `\` at or after `i`, where a JSON
/// string ends or has an escape: eight bytes at a time in a register (most
/// strings in logs are short, where a SIMD search costs more to set up than
/// it saves), then `memchr2` for long strings.
///
/// ```
/// assert_eq!(steward_io::json::quote_or_backslash(br#"abc\"d""#, 0), Some(3));
/// assert_eq!(steward_io::json::quote_or_backslash(b"abc", 0), None);
/// ```
#[inline(always)]
#[must_use]
pub fn quote_or_backslash(s: &[u8], mut i: usize) -> Option<usize> {
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    for _ in 0..8 {
        let Some(word) = s.get(i..i + 8) else { break };
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(word).ok()?);
        let hits = zero_bytes(w ^ QUOTES) | zero_bytes(w ^ SLASHES);
        if hits != 0 {
            // The lowest flagged byte is exact; flags above it may not be.
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr2(b'"', b'\\', s.get(i..)?).map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quotes_and_backslashes_at_every_position() {
        for len in 0..80 {
            for at in 0..len {
                for c in [b'"', b'\\'] {
                    let mut s = vec![b'a'; len];
                    s[at] = c;
                    // A second mark right after must not hide the first.
                    if at + 1 < len {
                        s[at + 1] = b'"';
                    }
                    for from in 0..=at {
                        assert_eq!(quote_or_backslash(&s, from), Some(at), "{len} {at} {from}");
                    }
                }
            }
            // Bytes one bit away from the targets, and high bytes, are not
            // matches.
            for filler in [b'!', b'#', b']', b'|', 0xa2, 0xdc] {
                assert_eq!(quote_or_backslash(&vec![filler; len], 0), None);
            }
        }
        assert_eq!(quote_or_backslash(b"ab", 5), None);
    }
}
