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
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
        for (p, q) in x.by_ref().zip(y.by_ref()) {
            if word::<8>(p, 0) != word::<8>(q, 0) {
                return false;
            }
        }
        // The last eight bytes, overlapping words already compared.
        return n.is_multiple_of(8) || word::<8>(a, n - 8) == word::<8>(b, n - 8);
    }
    // Two overlapping pieces of four or two bytes, or the one byte.
    if n >= 4 {
        word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4)
    } else if n >= 2 {
        word::<2>(a, 0) == word::<2>(b, 0) && word::<2>(a, n - 2) == word::<2>(b, n - 2)
    } else {
        a.first() == b.first()
    }
}

/// The `N` bytes of `c` at `at` as a number (0 when out of range).
#[inline(always)]
fn word<const N: usize>(c: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let (Some(src), Some(dst)) = (c.get(at..at + N), w.get_mut(..N)) {
        dst.copy_from_slice(src);
    }
    u64::from_ne_bytes(w)
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

/// A line walked in full, kept as a template for lines shaped like it:
/// its bytes and the leaves (values) the walk found in it.
#[derive(Debug, Default)]
pub struct Template<L> {
    /// The line.
    pub line: Vec<u8>,
    /// Its values, in order, as the walker that made it describes them.
    pub leaves: Vec<L>,
    /// The `"` bytes in `line`.
    quotes: usize,
}

/// The last few lines a JSON Lines walker walked in full, most recently
/// used first. Lines of a log mostly differ only in their values, so a
/// line is first checked against these templates' structural bytes (field
/// names, punctuation, literals) and only its values are read; any
/// difference falls back to the full walk, which then makes that line a
/// template. A line's count of `"` rules out templates with another count
/// without comparing (a value holding an escaped quote then misses its
/// template and is walked in full).
#[derive(Debug)]
pub struct Templates<L> {
    kept: Vec<Template<L>>,
    cap: usize,
}

/// Templates kept by default: a log mixes a few kinds of record (a login,
/// a read of a member's data, a product view), each with its own fields.
pub const TEMPLATES: usize = 8;

impl<L> Default for Templates<L> {
    fn default() -> Self {
        Self {
            kept: Vec::new(),
            cap: TEMPLATES,
        }
    }
}

impl<L: Copy> Templates<L> {
    /// Keeps at most `cap` templates.
    #[must_use]
    pub const fn new(cap: usize) -> Self {
        Self {
            kept: Vec::new(),
            cap,
        }
    }

    /// The count of `"` in `line`, for [`Templates::find`] and
    /// [`Templates::learn`].
    #[must_use]
    pub fn quotes(line: &[u8]) -> usize {
        memchr::memchr_iter(b'"', line).count()
    }

    /// Tries the templates with `quotes` quotes, newest first, with `fits`
    /// (which reads the line through one, and undoes what it noted when it
    /// does not fit); the one that fits becomes the newest.
    pub fn find(&mut self, quotes: usize, mut fits: impl FnMut(&Template<L>) -> bool) -> bool {
        for k in 0..self.kept.len() {
            if self
                .kept
                .get(k)
                .is_some_and(|t| t.quotes == quotes && fits(t))
            {
                if let Some(front) = self.kept.get_mut(..=k) {
                    front.rotate_right(1);
                }
                return true;
            }
        }
        false
    }

    /// Keeps `line` and its `leaves` as the newest template, reusing the
    /// oldest one's buffers when full.
    pub fn learn(&mut self, line: &[u8], leaves: &[L], quotes: usize) {
        let mut t = if self.kept.len() >= self.cap.max(1) {
            self.kept.pop().unwrap_or_else(Self::empty)
        } else {
            Self::empty()
        };
        t.line.clear();
        t.line.extend_from_slice(line);
        t.leaves.clear();
        t.leaves.extend_from_slice(leaves);
        t.quotes = quotes;
        self.kept.insert(0, t);
    }

    const fn empty() -> Template<L> {
        Template {
            line: Vec::new(),
            leaves: Vec::new(),
            quotes: 0,
        }
    }

    /// Forgets every template.
    pub fn clear(&mut self) {
        self.kept.clear();
    }

    /// The templates' lines, newest first.
    pub fn lines(&self) -> impl Iterator<Item = &[u8]> {
        self.kept.iter().map(|t| t.line.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_tried_by_quote_count_and_kept_newest_first() {
        let mut t: Templates<u8> = Templates::new(2);
        for line in [&b"\"a\""[..], b"\"b\"", b"\"c\" \"d\""] {
            t.learn(line, &[1], Templates::<u8>::quotes(line));
        }
        // The oldest went at the cap.
        let kept: Vec<&[u8]> = t.lines().collect();
        assert_eq!(kept, [&b"\"c\" \"d\""[..], b"\"b\""]);
        // Only templates with the same count are tried; the one that fits
        // moves to the front.
        let mut tried = Vec::new();
        assert!(t.find(2, |x| {
            tried.push(x.line.clone());
            true
        }));
        assert_eq!(tried, [b"\"b\"".to_vec()]);
        assert_eq!(t.lines().next(), Some(&b"\"b\""[..]));
        assert!(!t.find(3, |_| true));
        t.clear();
        assert_eq!(t.lines().count(), 0);
    }

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

    #[test]
    fn same_agrees_with_slice_equality_at_every_length_and_position() {
        for len in 0..40 {
            let a: Vec<u8> = (0..len).map(|k| b'a' + (k % 26) as u8).collect();
            assert!(same(&a, &a.clone()), "{len}");
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same(&a, &b), "{len} {at}");
                assert!(!same(&b, &a), "{len} {at}");
            }
            // A different length is never the same, even as a prefix.
            assert!(!same(&a, &[a.as_slice(), b"x"].concat()), "{len}");
            if len > 0 {
                assert!(!same(&a, &a[..len - 1]), "{len}");
            }
        }
    }
}
