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

/// The closing quote of a string whose content starts at `from`, and
/// whether the content has backslash escapes; `None` if it is unterminated.
///
/// ```
/// assert_eq!(steward_io::json::string_end(br#""a\"b" x"#, 1), Some((5, true)));
/// assert_eq!(steward_io::json::string_end(br#""ab"#, 1), None);
/// ```
#[inline(always)]
#[must_use]
pub fn string_end(s: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut i = from;
    let mut escaped = false;
    loop {
        i = quote_or_backslash(s, i)?;
        if s.get(i) == Some(&b'"') {
            return Some((i, escaped));
        }
        escaped = true;
        i += 2;
    }
}

/// Byte equality of two slices, eight bytes at a time (the pieces the line
/// templates compare are short: a call to `memcmp` for each costs more than
/// the comparison).
///
/// ```
/// assert!(steward_io::json::same(b"{\"ts\":\"", b"{\"ts\":\""));
/// assert!(!steward_io::json::same(b"abcdefghi", b"abcdefghj"));
/// ```
#[inline]
#[must_use]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_ne_bytes(w)
    };
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in x.by_ref().zip(y.by_ref()) {
        if word(p) != word(q) {
            return false;
        }
    }
    let (r, t) = (x.remainder(), y.remainder());
    a.len() == b.len() && r.iter().zip(t).all(|(p, q)| p == q)
}

/// For line templates: whether `line` holds, at `pos`, the template's
/// structural bytes `template[from..to]`; the position after them if so.
///
/// ```
/// assert_eq!(steward_io::json::glue(b"{\"a\":1}", 0, 5, b"{\"a\":22}", 0), Some(5));
/// assert_eq!(steward_io::json::glue(b"{\"a\":1}", 0, 5, b"{\"b\":22}", 0), None);
/// ```
#[inline]
#[must_use]
pub fn glue(template: &[u8], from: usize, to: usize, line: &[u8], pos: usize) -> Option<usize> {
    let glue = template.get(from..to)?;
    let end = pos.checked_add(glue.len())?;
    line.get(pos..end)
        .is_some_and(|g| same(g, glue))
        .then_some(end)
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
