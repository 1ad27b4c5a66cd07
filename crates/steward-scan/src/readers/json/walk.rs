//! A small structural JSON walker for one line: checks the structure, and
//! lists each leaf (string, number) with a hash of its field path and its
//! byte range, without building a tree or copying strings.

use std::collections::HashMap as StdHashMap;
use std::hash::{BuildHasherDefault, Hasher};

use steward_io::json::{Template, Templates, glue, same, string_end};

/// Path hashes are already well mixed: hash maps keyed by them skip
/// rehashing.
#[derive(Debug, Default, Clone, Copy)]
pub struct PathHasher(u64);

impl Hasher for PathHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by path hash.
pub type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<PathHasher>>;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// A leaf value of a JSON line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf {
    /// Hash of the field path (array indices collapsed to `[*]`).
    pub path: u64,
    /// Start of the value (inside the quotes for strings).
    pub start: usize,
    /// End of the value.
    pub end: usize,
    /// A string (rather than a number).
    pub string: bool,
    /// The string has backslash escapes.
    pub escaped: bool,
}

/// Line templates kept per book. A store's records vary in shape more than
/// a log's: the address books' lines hold one to several entries, each
/// with a door code or `null`, some sixty shapes in all; with eight
/// templates most lines missed and were walked in full. A template is
/// tried only by a line with its count of quotes, so many cost little.
const TEMPLATES: usize = 64;

/// Field-path names by hash, built the first time a path is seen.
#[derive(Debug)]
pub struct PathBook {
    names: HashMap<u64, String>,
    /// Path of each leaf of the last line walked, by position: lines of a
    /// file mostly share one shape, so a leaf's path is usually known
    /// without a lookup.
    recent: Vec<u64>,
    /// Lines walked in full, as templates for the next ones.
    templates: Templates<Leaf>,
}

/// Lists the leaves of `line` if it has the structure of `shape`. Leaves
/// are appended to `out`; on `false`, `out` may hold some and must be
/// cleared back.
fn apply(shape: &Template<Leaf>, line: &[u8], out: &mut Vec<Leaf>) -> bool {
    if shape.line.is_empty() {
        return false;
    }
    let mut pos = 0usize;
    let mut from = 0usize;
    for t in &shape.leaves {
        let Some(after) = glue(&shape.line, from, t.start, line, pos) else {
            return false;
        };
        pos = after;
        let start = pos;
        let mut escaped = false;
        if t.string {
            let Some((end, esc)) = string_end(line, pos) else {
                return false;
            };
            (pos, escaped) = (end, esc);
        } else {
            // A number starts as the walker wants it (`e5` is not one).
            if !matches!(line.get(pos), Some(b'-' | b'0'..=b'9')) {
                return false;
            }
            while matches!(
                line.get(pos),
                Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
            ) {
                pos += 1;
            }
        }
        out.push(Leaf {
            path: t.path,
            start,
            end: pos,
            string: t.string,
            escaped,
        });
        from = t.end;
    }
    match (shape.line.get(from..), line.get(pos..)) {
        (Some(a), Some(b)) => a.len() == b.len() && same(a, b),
        _ => false,
    }
}

impl Default for PathBook {
    fn default() -> Self {
        Self {
            names: HashMap::default(),
            recent: Vec::new(),
            templates: Templates::new(TEMPLATES),
        }
    }
}

impl PathBook {
    /// The name of a path hash (`$` if unknown).
    #[must_use]
    pub fn name(&self, hash: u64) -> &str {
        self.names.get(&hash).map_or("$", String::as_str)
    }

    /// All names seen, leaving the book empty.
    pub fn take_new(&mut self) -> HashMap<u64, String> {
        self.recent.clear();
        self.templates.clear();
        std::mem::take(&mut self.names)
    }
}

#[derive(Clone, Copy)]
enum Seg {
    Key(usize, usize),
    Index,
}

struct Walker<'a> {
    s: &'a [u8],
    i: usize,
    segs: Vec<Seg>,
    book: &'a mut PathBook,
    out: &'a mut Vec<Leaf>,
}

type WalkError = (usize, &'static str);

/// Walks one JSON line, appending its leaves. A line with the structure of
/// one of the last eight lines walked in full (same field names,
/// punctuation and literals) takes a fast path that only scans its values.
///
/// # Errors
/// The byte offset and reason of the first structural error.
pub fn walk_line(line: &[u8], book: &mut PathBook, out: &mut Vec<Leaf>) -> Result<(), WalkError> {
    let base = out.len();
    let quotes = Templates::<Leaf>::quotes(line);
    let fits = book.templates.find(quotes, |t| {
        let fits = apply(t, line, out);
        if !fits {
            out.truncate(base);
        }
        fits
    });
    if fits {
        return Ok(());
    }
    walk_full(line, book, out)?;
    let leaves = out.get(base..).unwrap_or_default();
    book.templates.learn(line, leaves, quotes);
    Ok(())
}

/// Walks one JSON line byte by byte.
fn walk_full(line: &[u8], book: &mut PathBook, out: &mut Vec<Leaf>) -> Result<(), WalkError> {
    let mut w = Walker {
        s: line,
        i: 0,
        segs: Vec::new(),
        book,
        out,
    };
    w.ws();
    w.value(ROOT, 0)?;
    w.ws();
    if w.i < line.len() {
        return Err((w.i, "unexpected characters after the JSON value"));
    }
    Ok(())
}

const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of a child path: the parent's hash mixed with the key, eight
/// bytes at a time (a byte-at-a-time hash was a tenth of the walk).
fn mix(h: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0xff51_afd7_ed55_8ccd;
    let mut h = h ^ 0x9e37_79b9_7f4a_7c15;
    let mut words = bytes.chunks_exact(8);
    for w in words.by_ref() {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(29);
    }
    let mut last = (bytes.len() as u64) << 56;
    for (i, b) in words.remainder().iter().enumerate() {
        last |= u64::from(*b) << (8 * i);
    }
    h = (h ^ last).wrapping_mul(K);
    h ^ (h >> 31)
}

/// `parent.key`, or `parent["key"]` when the key is not a plain word.
#[must_use]
pub fn child_path(parent: &str, key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", serde_json::Value::String(key.to_owned()))
    }
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn value(&mut self, path: u64, depth: usize) -> Result<(), WalkError> {
        if depth > MAX_DEPTH {
            return Err((self.i, "nesting deeper than 128 levels"));
        }
        match self.peek() {
            Some(b'{') => self.object(path, depth),
            Some(b'[') => self.array(path, depth),
            Some(b'"') => {
                let (start, end, escaped) = self.string()?;
                self.leaf(path, start, end, true, escaped);
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.i += 1;
                }
                self.leaf(path, start, self.i, false, false);
                Ok(())
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(_) => Err((self.i, "expected a JSON value")),
            None => Err((self.i, "line ends where a value was expected")),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), WalkError> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err((self.i, "invalid literal"))
        }
    }

    /// Consumes a string; returns the content range and whether it has
    /// escapes.
    fn string(&mut self) -> Result<(usize, usize, bool), WalkError> {
        let open = self.i;
        let start = open + 1;
        let (end, escaped) = string_end(self.s, start).ok_or((open, "unterminated string"))?;
        self.i = end + 1;
        Ok((start, end, escaped))
    }

    fn object(&mut self, path: u64, depth: usize) -> Result<(), WalkError> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err((self.i, "expected a field name"));
            }
            let (ks, ke, _) = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err((self.i, "expected `:` after a field name"));
            }
            self.i += 1;
            self.ws();
            let child = mix(path, self.s.get(ks..ke).unwrap_or_default());
            self.segs.push(Seg::Key(ks, ke));
            self.value(child, depth + 1)?;
            self.segs.pop();
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err((self.i, "expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, path: u64, depth: usize) -> Result<(), WalkError> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let child = mix(path, b"[*]");
        loop {
            self.ws();
            self.segs.push(Seg::Index);
            self.value(child, depth + 1)?;
            self.segs.pop();
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err((self.i, "expected `,` or `]`")),
            }
        }
    }

    fn leaf(&mut self, path: u64, start: usize, end: usize, string: bool, escaped: bool) {
        let idx = self.out.len();
        if self.book.recent.get(idx) != Some(&path) {
            self.name(path);
            match self.book.recent.get_mut(idx) {
                Some(slot) => *slot = path,
                None => self.book.recent.push(path),
            }
        }
        self.out.push(Leaf {
            path,
            start,
            end,
            string,
            escaped,
        });
    }

    /// Records the name of a path the first time it is seen.
    fn name(&mut self, path: u64) {
        if !self.book.names.contains_key(&path) {
            let mut name = String::from("$");
            for seg in &self.segs {
                match *seg {
                    Seg::Index => name.push_str("[*]"),
                    Seg::Key(ks, ke) => {
                        let key = String::from_utf8_lossy(self.s.get(ks..ke).unwrap_or_default());
                        name = child_path(&name, &key);
                    }
                }
            }
            self.book.names.insert(path, name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(line: &str) -> Result<Vec<(String, String)>, WalkError> {
        let mut book = PathBook::default();
        let mut out = Vec::new();
        walk_line(line.as_bytes(), &mut book, &mut out)?;
        Ok(out
            .iter()
            .map(|l| {
                (
                    book.name(l.path).to_owned(),
                    line[l.start..l.end].to_owned(),
                )
            })
            .collect())
    }

    #[test]
    fn paths_collapse_indices() {
        let got =
            leaves(r#"{"a":{"b":"x"},"entries":[{"phone":"1"},{"phone":"2","n":3}],"t":true}"#)
                .unwrap();
        assert_eq!(
            got,
            vec![
                ("$.a.b".to_owned(), "x".to_owned()),
                ("$.entries[*].phone".to_owned(), "1".to_owned()),
                ("$.entries[*].phone".to_owned(), "2".to_owned()),
                ("$.entries[*].n".to_owned(), "3".to_owned()),
            ]
        );
    }

    #[test]
    fn escapes_and_odd_keys() {
        let got = leaves(r#"{"a b":"q\"x\\"}"#).unwrap();
        assert_eq!(
            got,
            vec![(r#"$["a b"]"#.to_owned(), r#"q\"x\\"#.to_owned())]
        );
    }

    /// Walks `lines` with one book (so templates apply) and each on its
    /// own (full walk), checks both give the same answer, and returns the
    /// indices of the lines read through a template (read fine without
    /// being learnt as a new one).
    fn same_with_and_without_template(lines: &[&str]) -> Vec<usize> {
        let mut book = PathBook::default();
        let mut templated = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let mut fresh = PathBook::default();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let learnt = |book: &PathBook| {
                let l = line.as_bytes();
                book.templates.lines().filter(|s| *s == l).count()
            };
            let before = learnt(&book);
            let ra = walk_line(line.as_bytes(), &mut book, &mut a);
            let rb = walk_full(line.as_bytes(), &mut fresh, &mut b);
            assert_eq!(ra, rb, "{line}");
            assert_eq!(a, b, "{line}");
            if ra.is_ok() && learnt(&book) == before {
                templated.push(i);
            }
        }
        templated
    }

    #[test]
    fn lines_shaped_like_the_last_take_the_template_and_agree_with_the_walk() {
        let lines = [
            r#"{"ts":"2025-04-09T15:00:08Z","ip":"1.2.3.4","n":12,"ok":true,"a":[1,2]}"#,
            r#"{"ts":"2025-04-09T15:00:09Z","ip":"10.0.0.1","n":-3.5e2,"ok":true,"a":[7,8]}"#,
            r#"{"ts":"2025-04-09T15:00:10Z","ip":"q\"x\\","n":0,"ok":true,"a":[3,4]}"#,
            // A literal changes: the template does not apply, the walk does.
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1","n":1,"ok":false,"a":[1,2]}"#,
            // A string where a number was.
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1","n":"1","ok":false,"a":[1,2]}"#,
            // Broken in the value: unterminated string, empty number.
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1","n":"1,"ok":false,"a":[1,2]}"#,
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1","n":"1","ok":false,"a":[1,2]"#,
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1","n":"1","ok":false,"a":[1,2]} x"#,
            r#"{"ts":"2025-04-09T15:00:11Z","ip":"1.1.1.1\"#,
            r#"{"ts":"","ip":"","n":"","ok":false,"a":[1,2]}"#,
            r#"{"ts":"a","ip":"b","n":"c","ok":false,"a":[1,2,3]}"#,
            r#"{"ts":"a","ip":"b","n":"c","ok":false,"a":[,2,3]}"#,
            "",
            "{}",
            "{}",
            // A number where one was, but not starting as a number may.
            "5",
            "e5",
            "[1,2]",
            "[+1,2]",
            "[.5,2]",
        ];
        let templated = same_with_and_without_template(&lines);
        // The line after the first, the line of empty strings (shaped like
        // the one with `"n":"1"`) and the second `{}`; line 2 has the first
        // line's structure but escaped quotes in a value, so another count
        // of `"` (and a full walk); the rest differ in structure or are
        // malformed.
        assert_eq!(templated, vec![1, 9, 14]);
    }

    #[test]
    fn malformed_lines_are_errors_with_offsets() {
        assert_eq!(leaves(r#"{"a":1"#).unwrap_err().1, "expected `,` or `}`");
        assert_eq!(leaves(r#"{"a":"x}"#).unwrap_err().1, "unterminated string");
        assert_eq!(
            leaves(r#"{"a":1} x"#).unwrap_err().1,
            "unexpected characters after the JSON value"
        );
        assert!(leaves(&"[".repeat(1000)).is_err());
        assert!(leaves("").is_err());
    }
}
