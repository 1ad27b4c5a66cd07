//! JSON records without a tree: one pass over the record's bytes checks its
//! structure and notes the byte range of each value the mapping asked for
//! (a trie of the mapping's paths says which); nothing else is copied or
//! decoded. Strings are decoded only when a field reads them, and only
//! those with escapes allocate.
//!
//! A log mixes a few kinds of record (a login, a read of a member's
//! orders, a product view), each written with the same field names in the
//! same order. So each walk also notes the record's scalar values, and the
//! record becomes a template: a later record is first checked against the
//! last few templates' structural bytes (everything but the values), and
//! where one fits only its values are read. Any difference falls back to
//! the full walk. Records with arrays, or with an object at a mapped path,
//! make no template.

pub(crate) mod document;
mod unescape;

use std::borrow::Cow;

use steward_io::json::{Template, Templates, glue, same, string_end};

use crate::mapping::path::{FieldPath, Segment};
use crate::value::{Fields, PathId, Plain, Value, ValueError, integer, parse_number_bytes};

pub(crate) use unescape::unescape;

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 128;

const NONE: u32 = u32::MAX;

/// Records longer than this make no template.
const SHAPE_MAX: usize = 16 * 1024;

#[derive(Debug, Default, Clone)]
struct Node {
    /// Object keys under this node, with their node.
    keys: Vec<(Box<[u8]>, u32)>,
    /// `[*]` under this node.
    any: Option<u32>,
    /// `[n]` under this node.
    indices: Vec<(usize, u32)>,
    /// The paths that end here (more than one only where `[*]` and `[n]`
    /// paths overlap).
    terminals: Vec<PathId>,
    /// `keys` for lookup: length, first eight bytes, child.
    fast: Vec<(usize, u64, u32)>,
    /// `keys` without `"` or `\`, which unescaped JSON keys match byte
    /// for byte: mask of the first eight bytes, those bytes, length, index
    /// in `keys`.
    plain: Vec<(u64, u64, usize, u32)>,
}

/// The first eight bytes of `s[start..start + len]` as a number
/// (zero-padded), read as one word when the buffer has eight bytes there.
#[inline(always)]
fn prefix_at(s: &[u8], start: usize, len: usize) -> u64 {
    if let Some(word) = s.get(start..start + 8)
        && let Ok(bytes) = <[u8; 8]>::try_from(word)
    {
        let w = u64::from_le_bytes(bytes);
        return if len >= 8 {
            w
        } else {
            w & ((1u64 << (8 * len)) - 1)
        };
    }
    let mut w = 0u64;
    for (k, b) in s.iter().skip(start).take(len.min(8)).enumerate() {
        w |= u64::from(*b) << (8 * k);
    }
    w
}

#[inline]
fn prefix(key: &[u8]) -> u64 {
    prefix_at(key, 0, key.len())
}

/// The mapping's paths as a trie over keys and array positions.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
    paths: usize,
}

impl Trie {
    /// Builds the trie; path ids are positions in `paths`.
    pub(crate) fn new(paths: &[FieldPath]) -> Self {
        let mut nodes = vec![Node::default()];
        for (id, path) in paths.iter().enumerate() {
            let mut at = 0usize;
            for seg in &path.segments {
                let next = nodes.len();
                let Some(node) = nodes.get_mut(at) else { break };
                let (found, created) = match seg {
                    Segment::Key(k) => {
                        match node.keys.iter().find(|(key, _)| **key == *k.as_bytes()) {
                            Some((_, n)) => (*n, false),
                            None => {
                                node.keys.push((k.as_bytes().into(), next as u32));
                                (next as u32, true)
                            }
                        }
                    }
                    Segment::Any => match node.any {
                        Some(n) => (n, false),
                        None => {
                            node.any = Some(next as u32);
                            (next as u32, true)
                        }
                    },
                    Segment::Index(i) => match node.indices.iter().find(|(j, _)| j == i) {
                        Some((_, n)) => (*n, false),
                        None => {
                            node.indices.push((*i, next as u32));
                            (next as u32, true)
                        }
                    },
                };
                if created {
                    nodes.push(Node::default());
                }
                at = found as usize;
            }
            if let (Some(node), Ok(id)) = (nodes.get_mut(at), PathId::try_from(id))
                && !node.terminals.contains(&id)
            {
                node.terminals.push(id);
            }
        }
        // `a[1].b` and `a[*].b` both want element 1: copy what `[*]` wants
        // into each `[n]`, so that one walk of the element serves both.
        for n in 0..nodes.len() {
            let (any, indexed): (Option<u32>, Vec<u32>) = match nodes.get(n) {
                Some(node) => (node.any, node.indices.iter().map(|(_, c)| *c).collect()),
                None => (None, Vec::new()),
            };
            if let Some(any) = any {
                for target in indexed {
                    merge(&mut nodes, any, target, 0);
                }
            }
        }
        for node in &mut nodes {
            node.fast = node
                .keys
                .iter()
                .map(|(k, c)| (k.len(), prefix(k), *c))
                .collect();
            node.plain = node
                .keys
                .iter()
                .enumerate()
                .filter(|(_, (k, _))| !k.iter().any(|b| matches!(b, b'"' | b'\\')))
                .map(|(at, (k, _))| {
                    let mask = if k.len() >= 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * k.len())) - 1
                    };
                    (mask, prefix(k), k.len(), at as u32)
                })
                .collect();
        }
        Self {
            nodes,
            paths: paths.len(),
        }
    }

    /// The child of `node` whose key is the JSON string starting at `start`
    /// (after its opening quote) and its length, when that string is a
    /// plain key written without escapes: then the string is exactly the
    /// key's bytes and a closing quote. `None` otherwise (an unescaped
    /// string that is not a plain key is no key of `node`).
    #[inline(always)]
    fn key_in_place(&self, node: u32, s: &[u8], start: usize) -> Option<(u32, usize)> {
        let node = self.nodes.get(node as usize)?;
        if node.plain.is_empty() {
            return None;
        }
        let word = prefix_at(s, start, 8);
        for &(mask, head, len, at) in &node.plain {
            if word & mask == head && s.get(start + len) == Some(&b'"') {
                let (key, child) = node.keys.get(at as usize)?;
                if len <= 8 || s.get(start..start + len) == Some(&**key) {
                    return Some((*child, len));
                }
            }
        }
        None
    }

    fn child_key(&self, node: u32, key: &[u8]) -> Option<u32> {
        let node = self.nodes.get(node as usize)?;
        let (len, head) = (key.len(), prefix(key));
        for (k, (l, h, child)) in node.fast.iter().enumerate() {
            if *l == len
                && *h == head
                && (len <= 8 || node.keys.get(k).is_some_and(|(full, _)| **full == *key))
            {
                return Some(*child);
            }
        }
        None
    }
}

/// Adds what node `from` wants to node `into` (recursively).
fn merge(nodes: &mut Vec<Node>, from: u32, into: u32, depth: usize) {
    if depth > MAX_DEPTH || from == into {
        return;
    }
    let Some(src) = nodes.get(from as usize).cloned() else {
        return;
    };
    let mut pairs = Vec::new();
    for (key, child) in &src.keys {
        let next = nodes.len() as u32;
        let Some(dst) = nodes.get_mut(into as usize) else {
            return;
        };
        let existing = dst.keys.iter().find(|(k, _)| k == key).map(|(_, c)| *c);
        let target = existing.unwrap_or_else(|| {
            dst.keys.push((key.clone(), next));
            next
        });
        if existing.is_none() {
            nodes.push(Node::default());
        }
        pairs.push((*child, target));
    }
    if let Some(any) = src.any {
        let next = nodes.len() as u32;
        let Some(dst) = nodes.get_mut(into as usize) else {
            return;
        };
        let target = *dst.any.get_or_insert(next);
        if target == next {
            nodes.push(Node::default());
        }
        pairs.push((any, target));
    }
    if let Some(dst) = nodes.get_mut(into as usize) {
        for t in &src.terminals {
            if !dst.terminals.contains(t) {
                dst.terminals.push(*t);
            }
        }
    }
    for (f, t) in pairs {
        merge(nodes, f, t, depth + 1);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    StrEscaped,
    Num,
    True,
    False,
    Null,
    /// An object or array at a path that ends there: its JSON text.
    Raw,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    path: PathId,
    kind: Kind,
    start: u32,
    end: u32,
}

/// A scalar value of a walked record: its range (a string's content,
/// without the quotes), kind and trie node.
#[derive(Debug, Clone, Copy)]
struct Leaf {
    start: u32,
    end: u32,
    kind: Kind,
    node: Option<u32>,
}

/// Notes the values of `line` at the trie's paths if `line` has the
/// structure of `shape`; on `false`, `hits` may hold some and must be
/// cleared.
fn apply(shape: &Template<Leaf>, trie: &Trie, line: &[u8], hits: &mut Vec<Hit>) -> bool {
    let mut pos = 0usize;
    let mut from = 0usize;
    for leaf in &shape.leaves {
        let Some(after) = glue(&shape.line, from, leaf.start as usize, line, pos) else {
            return false;
        };
        pos = after;
        let start = pos;
        let kind = match leaf.kind {
            Kind::Str | Kind::StrEscaped => {
                let Some((end, escaped)) = string_end(line, pos) else {
                    return false;
                };
                pos = end;
                if escaped { Kind::StrEscaped } else { Kind::Str }
            }
            Kind::Num => {
                // As the walker reads numbers: a sign or digit, then
                // number characters.
                if !matches!(line.get(pos), Some(b'-' | b'0'..=b'9')) {
                    return false;
                }
                pos += 1;
                while matches!(
                    line.get(pos),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    pos += 1;
                }
                Kind::Num
            }
            Kind::True | Kind::False | Kind::Null => {
                let word: &[u8] = match leaf.kind {
                    Kind::True => b"true",
                    Kind::False => b"false",
                    _ => b"null",
                };
                if line.get(pos..pos + word.len()) != Some(word) {
                    return false;
                }
                pos += word.len();
                leaf.kind
            }
            Kind::Raw => return false,
        };
        if let Some(n) = leaf.node.and_then(|n| trie.nodes.get(n as usize)) {
            for &path in &n.terminals {
                hits.push(Hit {
                    path,
                    kind,
                    start: start as u32,
                    end: pos as u32,
                });
            }
        }
        from = leaf.end as usize;
    }
    let tail = shape.line.get(from..).unwrap_or_default();
    line.len() == pos + tail.len() && line.get(pos..).is_some_and(|t| same(t, tail))
}

/// Per-reader buffers for walking records; reused from record to record.
#[derive(Debug, Default)]
pub(crate) struct Extractor {
    hits: Vec<Hit>,
    first: Vec<u32>,
    /// Records walked in full, as templates for the next ones.
    templates: Templates<Leaf>,
    /// The values of the record walked last, for a new template.
    leaves: Vec<Leaf>,
    /// Whether to use templates (off only to compare with full walks).
    no_templates: bool,
    /// Records read through a template.
    templated: u64,
}

/// A structural error: byte offset and reason.
pub(crate) type SyntaxError = (usize, &'static str);

impl Extractor {
    /// Walks one record, noting the values at the trie's paths.
    pub(crate) fn walk<'a>(
        &'a mut self,
        trie: &'a Trie,
        bytes: &'a [u8],
    ) -> Result<JsonRecord<'a>, SyntaxError> {
        for h in &self.hits {
            if let Some(f) = self.first.get_mut(usize::from(h.path)) {
                *f = NONE;
            }
        }
        self.hits.clear();
        if self.first.len() != trie.paths {
            self.first.clear();
            self.first.resize(trie.paths, NONE);
        }
        if bytes.len() >= NONE as usize {
            return Err((0, "record too long"));
        }
        let quotes = if self.no_templates {
            0
        } else {
            Templates::<Leaf>::quotes(bytes)
        };
        if !self.templated(trie, bytes, quotes) {
            self.hits.clear();
            self.leaves.clear();
            let mut w = Walker {
                s: bytes,
                i: 0,
                trie,
                hits: &mut self.hits,
                leaves: &mut self.leaves,
                shapeless: false,
            };
            w.ws();
            w.value(Some(0), 0)?;
            w.ws();
            if w.i < bytes.len() {
                return Err((w.i, "unexpected characters after the JSON value"));
            }
            if !w.shapeless && !self.no_templates && bytes.len() <= SHAPE_MAX {
                self.templates.learn(bytes, &self.leaves, quotes);
            }
        }
        let mut repeated = false;
        for (k, h) in self.hits.iter().enumerate() {
            if let Some(f) = self.first.get_mut(usize::from(h.path)) {
                if *f == NONE {
                    *f = k as u32;
                } else {
                    repeated = true;
                }
            }
        }
        Ok(JsonRecord {
            repeated,
            bytes,
            // One check of the whole record is cheaper than one per value;
            // a record with invalid UTF-8 somewhere is checked per value.
            // simdutf8's check gives std's answer, a vector at a time.
            text: simdutf8::basic::from_utf8(bytes).ok(),
            hits: &self.hits,
            first: &self.first,
        })
    }
}

impl Extractor {
    /// An extractor that always walks records in full (to compare).
    #[cfg(test)]
    fn without_templates() -> Self {
        Self {
            no_templates: true,
            ..Self::default()
        }
    }

    /// Notes the values of `bytes` through the first template it fits;
    /// false when none fits.
    fn templated(&mut self, trie: &Trie, bytes: &[u8], quotes: usize) -> bool {
        let hits = &mut self.hits;
        let fits = self.templates.find(quotes, |t| {
            hits.clear();
            apply(t, trie, bytes, hits)
        });
        self.templated += u64::from(fits);
        fits
    }
}

struct Walker<'a> {
    s: &'a [u8],
    i: usize,
    trie: &'a Trie,
    hits: &'a mut Vec<Hit>,
    /// Every scalar value, for a template.
    leaves: &'a mut Vec<Leaf>,
    /// Whether the record has what templates do not cover: an array, or an
    /// object at a mapped path.
    shapeless: bool,
}

impl Walker<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn hit(&mut self, node: Option<u32>, kind: Kind, start: usize, end: usize) {
        let Some(n) = node.and_then(|n| self.trie.nodes.get(n as usize)) else {
            return;
        };
        for &path in &n.terminals {
            self.hits.push(Hit {
                path,
                kind,
                start: start as u32,
                end: end as u32,
            });
        }
    }

    /// Notes a scalar value for a template.
    #[inline(always)]
    fn leaf(&mut self, node: Option<u32>, kind: Kind, start: usize, end: usize) {
        self.leaves.push(Leaf {
            start: start as u32,
            end: end as u32,
            kind,
            node,
        });
    }

    /// A member of an object or array: strings and numbers here, without
    /// a call; the rest through [`Walker::value`].
    #[inline(always)]
    fn item(&mut self, node: Option<u32>, depth: usize) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(b'"') => {
                let (s, e, escaped) = self.string()?;
                let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
                self.leaf(node, kind, s, e);
                if node.is_some() {
                    self.hit(node, kind, s, e);
                }
                Ok(())
            }
            Some(b'0'..=b'9') => {
                let start = self.i;
                self.i += 1;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.i += 1;
                }
                self.leaf(node, Kind::Num, start, self.i);
                if node.is_some() {
                    self.hit(node, Kind::Num, start, self.i);
                }
                Ok(())
            }
            _ => self.value(node, depth),
        }
    }

    fn value(&mut self, node: Option<u32>, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err((self.i, "nesting deeper than 128 levels"));
        }
        let start = self.i;
        match self.peek() {
            Some(b'{') => {
                self.object(node, depth)?;
                if node
                    .and_then(|n| self.trie.nodes.get(n as usize))
                    .is_some_and(|n| !n.terminals.is_empty())
                {
                    self.shapeless = true;
                }
                self.hit(node, Kind::Raw, start, self.i);
                Ok(())
            }
            Some(b'[') => {
                self.shapeless = true;
                // A path ending at an array takes its scalar elements.
                let before = self.hits.len();
                self.array(node, depth)?;
                if self.hits.len() == before {
                    self.hit(node, Kind::Raw, start, self.i);
                }
                Ok(())
            }
            Some(b'"') => {
                let (s, e, escaped) = self.string()?;
                let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
                self.leaf(node, kind, s, e);
                self.hit(node, kind, s, e);
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.i += 1;
                }
                self.leaf(node, Kind::Num, start, self.i);
                self.hit(node, Kind::Num, start, self.i);
                Ok(())
            }
            Some(b't') => self.literal(b"true", node, Kind::True),
            Some(b'f') => self.literal(b"false", node, Kind::False),
            Some(b'n') => self.literal(b"null", node, Kind::Null),
            Some(_) => Err((self.i, "expected a JSON value")),
            None => Err((self.i, "record ends where a value was expected")),
        }
    }

    fn literal(&mut self, word: &[u8], node: Option<u32>, kind: Kind) -> Result<(), SyntaxError> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.leaf(node, kind, self.i, self.i + word.len());
            self.hit(node, kind, self.i, self.i + word.len());
            self.i += word.len();
            Ok(())
        } else {
            Err((self.i, "invalid literal"))
        }
    }

    /// Consumes a string; returns the content range and whether it has
    /// escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<(usize, usize, bool), SyntaxError> {
        let open = self.i;
        let start = open + 1;
        let (end, escaped) = string_end(self.s, start).ok_or((open, "unterminated string"))?;
        self.i = end + 1;
        Ok((start, end, escaped))
    }

    fn object(&mut self, node: Option<u32>, depth: usize) -> Result<(), SyntaxError> {
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
            // A key the mapping names is matched where it lies, without a
            // scan for its end; other keys are scanned (and those with
            // escapes looked up unescaped).
            let placed = node.and_then(|n| self.trie.key_in_place(n, self.s, self.i + 1));
            let key = match placed {
                Some((child, len)) => {
                    self.i += len + 2;
                    Ok(child)
                }
                None => Err(self.string()?),
            };
            self.ws();
            if self.peek() != Some(b':') {
                return Err((self.i, "expected `:` after a field name"));
            }
            self.i += 1;
            self.ws();
            let child = match (key, node) {
                (Ok(child), _) => Some(child),
                (Err((ks, ke, true)), Some(n)) => {
                    let key = self.s.get(ks..ke).unwrap_or_default();
                    match unescape(key) {
                        Ok(k) => self.trie.child_key(n, k.as_bytes()),
                        Err(_) => return Err((ks, "invalid escape in a field name")),
                    }
                }
                (Err(_), _) => None,
            };
            self.item(child, depth + 1)?;
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

    fn array(&mut self, node: Option<u32>, depth: usize) -> Result<(), SyntaxError> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let here = node.and_then(|n| self.trie.nodes.get(n as usize));
        let any = here.and_then(|n| n.any);
        let has_indices = here.is_some_and(|n| !n.indices.is_empty());
        // Scalars of an array at a path's end belong to that path.
        let terminal = here.is_some_and(|n| !n.terminals.is_empty());
        let mut index = 0usize;
        loop {
            self.ws();
            let child = if has_indices {
                here.and_then(|n| n.indices.iter().find(|(i, _)| *i == index))
                    .map(|(_, c)| *c)
                    .or(any)
            } else {
                any
            };
            let elem = if child.is_none() && terminal && !matches!(self.peek(), Some(b'{' | b'[')) {
                node
            } else {
                child
            };
            self.item(elem, depth + 1)?;
            index += 1;
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
}

/// A walked JSON record: its bytes and where the mapped values are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonRecord<'a> {
    /// Whether some path has more than one value (array elements, a key
    /// written twice).
    repeated: bool,
    bytes: &'a [u8],
    text: Option<&'a str>,
    hits: &'a [Hit],
    first: &'a [u32],
}

impl<'a> JsonRecord<'a> {
    /// The first value noted at `path`, if any.
    #[inline(always)]
    fn first_hit(&self, path: PathId) -> Option<&'a Hit> {
        let k = *self.first.get(usize::from(path))?;
        if k == NONE {
            return None;
        }
        self.hits.get(k as usize)
    }

    fn str_at(&self, start: usize, end: usize) -> Result<&'a str, ValueError> {
        if let Some(t) = self.text.and_then(|t| t.get(start..end)) {
            return Ok(t);
        }
        std::str::from_utf8(self.bytes.get(start..end).unwrap_or_default())
            .map_err(|_| "not valid UTF-8")
    }

    fn decode(&self, h: &Hit) -> Result<Value<'a>, ValueError> {
        let (start, end) = (h.start as usize, h.end as usize);
        let raw = self.bytes.get(start..end).unwrap_or_default();
        Ok(match h.kind {
            Kind::Str => Value::Str(Cow::Borrowed(self.str_at(start, end)?)),
            Kind::StrEscaped => Value::Str(Cow::Owned(unescape(raw)?)),
            Kind::Num => parse_number_bytes(raw)?,
            Kind::True => Value::Bool(true),
            Kind::False => Value::Bool(false),
            Kind::Null => Value::Null,
            Kind::Raw => Value::Str(Cow::Borrowed(self.str_at(start, end)?)),
        })
    }
}

impl Fields for JsonRecord<'_> {
    #[inline(always)]
    fn plain(&self, path: PathId) -> Plain<'_> {
        let Some(h) = self.first_hit(path) else {
            return Plain::Absent;
        };
        let (start, end) = (h.start as usize, h.end as usize);
        match h.kind {
            Kind::Str => self
                .text
                .and_then(|t| t.get(start..end))
                .map_or(Plain::Other, Plain::Str),
            Kind::Num => self
                .bytes
                .get(start..end)
                .and_then(integer)
                .map_or(Plain::Other, Plain::Int),
            _ => Plain::Other,
        }
    }

    #[inline(always)]
    fn only(&self, path: PathId) -> Plain<'_> {
        if self.repeated {
            Plain::Other
        } else {
            self.plain(path)
        }
    }

    #[inline]
    fn first(&self, path: PathId) -> Result<Option<Value<'_>>, ValueError> {
        self.first_hit(path).map(|h| self.decode(h)).transpose()
    }

    fn each<'s>(
        &'s self,
        path: PathId,
        f: &mut dyn FnMut(Value<'s>) -> Result<(), ValueError>,
    ) -> Result<(), ValueError> {
        let start = match self.first.get(usize::from(path)) {
            Some(&k) if k != NONE => k as usize,
            _ => return Ok(()),
        };
        for h in self.hits.get(start..).unwrap_or_default() {
            if h.path == path {
                f(self.decode(h)?)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(ps: &[&str]) -> Vec<FieldPath> {
        ps.iter().map(|p| FieldPath::parse(p).unwrap()).collect()
    }

    fn text(v: Option<Value<'_>>) -> Option<String> {
        v.map(|v| match v {
            Value::Str(s) => s.into_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_owned(),
            Value::TimeMs(t) => t.to_string(),
        })
    }

    #[test]
    fn extracts_only_mapped_paths() {
        let ps = paths(&[
            "a.b",
            "list[*].id",
            "list[1].id",
            "tags",
            "esc",
            "n",
            "missing",
            "obj",
            "k\"q",
        ]);
        let trie = Trie::new(&ps);
        let mut ex = Extractor::default();
        let line = br#"{"a":{"b":"x","c":[1,{"d":2}]},"list":[{"id":1},{"id":"two"}],"tags":["t1","t2",{"no":1}],"esc":"a\"b\u00e9","n":-1.5e2,"obj":{"z":[1]},"k\"q":true}"#;
        let rec = ex.walk(&trie, line).unwrap();
        assert_eq!(text(rec.first(0).unwrap()).as_deref(), Some("x"));
        assert_eq!(text(rec.first(1).unwrap()).as_deref(), Some("1"));
        let mut all = Vec::new();
        rec.each(1, &mut |v| {
            all.push(text(Some(v)).unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(all, ["1", "two"]);
        assert_eq!(text(rec.first(2).unwrap()).as_deref(), Some("two"));
        let mut tags = Vec::new();
        rec.each(3, &mut |v| {
            tags.push(text(Some(v)).unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(tags, ["t1", "t2"]);
        assert_eq!(text(rec.first(4).unwrap()).as_deref(), Some("a\"b\u{e9}"));
        assert_eq!(text(rec.first(5).unwrap()).as_deref(), Some("-150"));
        assert_eq!(rec.first(6).unwrap(), None);
        assert_eq!(text(rec.first(7).unwrap()).as_deref(), Some(r#"{"z":[1]}"#));
        assert_eq!(rec.first(8).unwrap(), Some(Value::Bool(true)));
    }

    /// What a walk notes: the hits, or the error.
    fn outcome(ex: &mut Extractor, trie: &Trie, line: &[u8]) -> String {
        match ex.walk(trie, line) {
            Ok(rec) => format!("{:?} {:?}", rec.hits, rec.first),
            Err(e) => format!("error {e:?}"),
        }
    }

    #[test]
    fn templates_note_what_full_walks_note() {
        let trie = Trie::new(&paths(&[
            "ts",
            "http.status",
            "auth.kid",
            "ok",
            "n",
            "obj",
            "l",
        ]));
        let lines: &[&[u8]] = &[
            br#"{"ts":"a","http":{"status":200,"m":"GET"},"auth":{"kid":"k1"},"ok":true}"#,
            br#"{"ts":"bb","http":{"status":404,"m":"POST"},"auth":{"kid":"k\"2"},"ok":true}"#,
            br#"{"ts":"bb","http":{"status":-1e5,"m":""},"auth":{"kid":""},"ok":true}"#,
            // Same glue, other kinds of value: each must fall back.
            br#"{"ts":"bb","http":{"status":"x","m":"POST"},"auth":{"kid":"k"},"ok":true}"#,
            br#"{"ts":"bb","http":{"status":200,"m":"POST"},"auth":{"kid":"k"},"ok":false}"#,
            br#"{"ts":"bb","http":{"status":2,"m":"POST"},"auth":{"kid":"k"},"ok":nul}"#,
            br#"{"ts":"bb","http":{"status":.,"m":"POST"},"auth":{"kid":"k"},"ok":true}"#,
            br#"{"ts":"bb","http":{"status":200,"m":"POST"},"auth":{"kid":"k"},"ok":true} "#,
            br#"{"ts":"bb","http":{"status":200,"m":"POST"},"auth":{"kid":"k"},"ok":true}x"#,
            br#"{"ts":"unterminated,"http":{"status":200,"m":"POST"},"auth":{"kid":"k"},"ok":true}"#,
            br#"{"ts":"a","http":{"status":200,"m":"GET"},"auth":{"kid":"k1"},"ok":true"#,
            br#"{"ts":"a","http":{"status":2000,"m":"GET"},"auth":{"kid":"k1"},"ok":true}"#,
            // Arrays and objects at mapped paths make no template.
            br#"{"n":1,"l":[1,2],"obj":{"a":1}}"#,
            br#"{"n":2,"l":[1,2,3],"obj":{"a":1}}"#,
            br#"{"n":3,"obj":{"a":"b"}}"#,
            br#"{"n":4,"obj":{"a":"b"}}"#,
            // An object at a path the mapping does not name is structure.
            br#"{"n":5,"x":{"a":"b","c":null}}"#,
            br#"{"n":6,"x":{"a":"\u0041","c":null}}"#,
            br#"{"ts":"c","http":{"status":201,"m":"GET"},"auth":{"kid":"k9"},"ok":true}"#,
            b"4",
            b".",
            br#""s""#,
            br#""s"#,
            b"",
        ];
        let mut templated = Extractor::default();
        let mut used = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            let mut full = Extractor::without_templates();
            let expected = outcome(&mut full, &trie, line);
            let before = templated.templated;
            assert_eq!(outcome(&mut templated, &trie, line), expected, "line {k}");
            if templated.templated > before {
                used.push(k);
            }
        }
        // Line 1 has an escaped quote in a value, so its count of `"`
        // differs from line 0's and it is walked in full.
        assert_eq!(used, [2, 11, 17, 18]);
        assert!(templated.templates.lines().count() <= steward_io::json::TEMPLATES);
    }

    /// Lines shaped like a template but with values of other lengths, and
    /// with bytes that look like structure (`"`, `\\`, `,`, `:`, braces):
    /// the templated walk must give the full walk's answer on every one,
    /// whether it fits or fails.
    #[test]
    fn varied_values_note_what_full_walks_note() {
        let trie = Trie::new(&paths(&["id", "a.b", "a.n", "c"]));
        let alphabet: &[u8] = b"ab,:{}[] 0\\\"";
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut templated = Extractor::default();
        let mut fitted = 0;
        for k in 0..6_000 {
            let mut value = |n: u64| -> String {
                (0..next() % n)
                    .map(|_| {
                        // Mostly letters; now and then a byte of structure.
                        let r = next();
                        if r % 8 == 0 {
                            char::from(alphabet[(r / 8) as usize % alphabet.len()])
                        } else {
                            char::from(b'a' + (r % 26) as u8)
                        }
                    })
                    .collect()
            };
            let (id, b, c) = (value(6), value(12), value(4));
            let n = next() % 1000;
            let line = format!(r#"{{"id":"{id}","a":{{"b":"{b}","n":{n}}},"c":"{c}","d":"x"}}"#);
            let mut full = Extractor::without_templates();
            let expected = outcome(&mut full, &trie, line.as_bytes());
            let before = templated.templated;
            assert_eq!(
                outcome(&mut templated, &trie, line.as_bytes()),
                expected,
                "line {k}: {line}"
            );
            fitted += usize::from(templated.templated > before);
        }
        // Most lines fit a template.
        assert!(fitted > 3_000, "{fitted} fitted");
    }

    #[test]
    fn keys_are_matched_in_place_only_when_whole() {
        let ps = paths(&[
            "ts",
            "tsx.a",
            "request_id",
            "request_idx",
            "a_longer_key",
            "a_longer_kez",
            "k\\q",
            r#"["q\"k"]"#,
            r#"[""]"#,
            "z",
        ]);
        let trie = Trie::new(&ps);
        let mut ex = Extractor::default();
        let line = br#"{"t":0,"tsx":{"a":1},"ts":2,"request_i":3,"request_idx":4,"request_id":5,"a_longer_kez":6,"a_longer_key":7,"k\\q":8,"q\"k":9,"":10,"t\u0073":11,"z":12}"#;
        let rec = ex.walk(&trie, line).unwrap();
        let want = [2, 1, 5, 4, 7, 6, 8, 9, 10, 12];
        for (path, want) in want.iter().enumerate() {
            let got = rec.first(PathId::try_from(path).unwrap()).unwrap();
            assert_eq!(got, Some(Value::Int(*want)), "{}", ps[path].text);
        }
        // `ts` twice: written plainly, then with an escape.
        let mut all = Vec::new();
        rec.each(0, &mut |v| {
            all.push(v);
            Ok(())
        })
        .unwrap();
        assert_eq!(all, [Value::Int(2), Value::Int(11)]);
        // A key cut off by the end of the record is not matched.
        assert_eq!(
            ex.walk(&trie, br#"{"z"#).unwrap_err().1,
            "unterminated string"
        );
        assert_eq!(
            ex.walk(&trie, br#"{"z""#).unwrap_err().1,
            "expected `:` after a field name"
        );
    }

    #[test]
    fn reuse_clears_previous_hits() {
        let ps = paths(&["a", "b"]);
        let trie = Trie::new(&ps);
        let mut ex = Extractor::default();
        assert!(ex.walk(&trie, br#"{"a":1,"b":2}"#).is_ok());
        let rec = ex.walk(&trie, br#"{"b":3}"#).unwrap();
        assert_eq!(rec.first(0).unwrap(), None);
        assert_eq!(rec.first(1).unwrap(), Some(Value::Int(3)));
    }

    #[test]
    fn malformed_records_are_errors_with_offsets() {
        let trie = Trie::new(&paths(&["a"]));
        let mut ex = Extractor::default();
        let mut err = |s: &str| ex.walk(&trie, s.as_bytes()).map(|_| ()).unwrap_err();
        assert_eq!(err(r#"{"a":1"#), (6, "expected `,` or `}`"));
        assert_eq!(err(r#"{"a":"x}"#).1, "unterminated string");
        assert_eq!(
            err(r#"{"a":1} x"#).1,
            "unexpected characters after the JSON value"
        );
        assert_eq!(err("").1, "record ends where a value was expected");
        assert_eq!(err(r#"{"b":tru}"#).1, "invalid literal");
        assert_eq!(err(&"[".repeat(1000)).1, "nesting deeper than 128 levels");
        assert_eq!(err(r#"{a:1}"#), (1, "expected a field name"));
    }

    #[test]
    fn bad_values_fail_only_when_read() {
        let trie = Trie::new(&paths(&["a", "b"]));
        let mut ex = Extractor::default();
        let rec = ex
            .walk(&trie, b"{\"a\":\"\xff\",\"b\":1-2,\"c\":\"\xfe\"}")
            .unwrap();
        assert_eq!(rec.first(0), Err("not valid UTF-8"));
        assert_eq!(rec.first(1), Err("not a number"));
    }
}
