//! The matching engine: every detector's pattern compiled into one
//! multi-pattern regex (a lazy DFA, one pass over the bytes), then
//! boundary, validation, context and allow-list checks per candidate.
//! Batches of values first go through a gate (`engine/gate.rs`) that tells which
//! values the regex needs to see.

use std::collections::HashSet;

use memchr::memmem;
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, PatternID};

use crate::detector::{Candidates, Detector};
use crate::error::ScanError;

mod gate;

/// How much a context word near the match (or a column name) adds.
pub const CONTEXT_BOOST: f32 = 0.3;
/// Bytes searched for context words before a match.
const WINDOW_BEFORE: usize = 64;
/// Bytes searched for context words after a match.
const WINDOW_AFTER: usize = 32;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Matches below this confidence are dropped.
    pub min_confidence: f32,
    /// Raw values never reported.
    pub allow_values: HashSet<String>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            min_confidence: 0.6,
            allow_values: HashSet::new(),
        }
    }
}

/// One accepted match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the detector in [`Engine::detectors`].
    pub detector: usize,
    /// Byte range of the value in the haystack.
    pub start: usize,
    /// End of the value (exclusive).
    pub end: usize,
    /// Final confidence.
    pub confidence: f32,
    /// Country the value itself tells, if any.
    pub jurisdiction: Option<&'static str>,
}

/// Per-thread scratch space for the engine.
#[derive(Debug)]
pub struct Cache {
    text: meta::Cache,
    caps: Captures,
    cells: Vec<Option<meta::Cache>>,
    window: Vec<u8>,
    hits: Vec<Hit>,
    /// One cache and capture slot per [`Spanned`] detector.
    spanned: Vec<(meta::Cache, Captures)>,
    merge: Vec<Hit>,
    /// The gate's lazy DFA cache, and the regions it returned.
    gate: Option<regex_automata::hybrid::dfa::Cache>,
    regions: Vec<(usize, usize)>,
    /// Keys of values a reader searched and found clean, kept between
    /// chunks so a value repeated through a file is searched once.
    pub clean: CleanValues,
}

/// Keys of values found clean.
pub type CleanValues =
    std::collections::HashSet<u64, std::hash::BuildHasherDefault<crate::readers::json::PathHasher>>;

/// A detector whose pattern runs only where its candidate finder points,
/// outside the one-pass union.
#[derive(Debug)]
struct Spanned {
    detector: usize,
    regex: Regex,
    group: bool,
    finder: Candidates,
    anchored: bool,
}

/// Detectors compiled for matching.
#[derive(Debug)]
pub struct Engine {
    detectors: Vec<Detector>,
    text: Regex,
    /// Pattern id → detector index.
    text_detector: Vec<usize>,
    /// Pattern id → whether the pattern has a `v` group.
    text_group: Vec<bool>,
    spanned: Vec<Spanned>,
    /// The union as a lazy DFA stepped over four stretches at once, for
    /// batches of values (see [`gate`]).
    gate: Option<gate::Gate>,
    /// Length of the shortest text any pattern matches.
    min_len: usize,
    /// Detector index → anchored whole-cell pattern, compiled on first use
    /// (most runs meet few hinted columns, and compiling them all would
    /// cost more than a small scan).
    cells: Vec<Option<(String, std::sync::OnceLock<Option<Regex>>)>>,
    context: Vec<Vec<(memmem::Finder<'static>, bool)>>,
    options: EngineOptions,
    /// Warm caches kept between uses: a lazy DFA is slow until its cache
    /// has the states the input needs.
    pool: std::sync::Mutex<Vec<Cache>>,
}

impl Engine {
    /// Compiles the detectors.
    ///
    /// # Errors
    /// A detector whose pattern does not compile, named by id.
    pub fn new(detectors: Vec<Detector>, options: EngineOptions) -> Result<Self, ScanError> {
        let mut patterns = Vec::new();
        let mut text_detector = Vec::new();
        let mut text_group = Vec::new();
        let mut spanned = Vec::new();
        let mut min_len = usize::MAX;
        for (i, d) in detectors.iter().enumerate() {
            if let Some(p) = &d.pattern {
                if let Some(n) = regex_syntax::parse(p)
                    .ok()
                    .and_then(|h| h.properties().minimum_len())
                {
                    min_len = min_len.min(n);
                }
                if !d.spans.is_empty() {
                    for span in &d.spans {
                        let part = span.pattern.as_deref().unwrap_or(p);
                        spanned.push(Spanned {
                            detector: i,
                            regex: compile_one(&d.id, part)?,
                            group: part.contains("(?P<v>"),
                            finder: span.finder,
                            anchored: span.anchored,
                        });
                    }
                    continue;
                }
                patterns.push(p.clone());
                text_detector.push(i);
                text_group.push(p.contains("(?P<v>"));
            }
        }
        let text = Regex::builder()
            .configure(Regex::config().hybrid_cache_capacity(32 * 1024 * 1024))
            .build_many(&patterns)
            .map_err(|e| {
                // Name the detector whose pattern does not compile alone.
                let culprit = patterns.iter().zip(&text_detector).find_map(|(p, i)| {
                    let d = detectors.get(*i)?;
                    compile_one(&d.id, p).err()
                });
                culprit.unwrap_or_else(|| ScanError::Pattern {
                    detector: "(all)".to_owned(),
                    reason: e.to_string(),
                })
            })?;
        let gate = gate::Gate::new(&patterns);
        let cells = detectors
            .iter()
            .map(|d| {
                let Some(p) = d.cell_pattern.as_ref().or(d.pattern.as_ref()) else {
                    return Ok(None);
                };
                let anchored = format!("^(?:{p})$");
                regex_syntax::parse(&anchored).map_err(|e| ScanError::Pattern {
                    detector: d.id.clone(),
                    reason: e.to_string(),
                })?;
                Ok(Some((anchored, std::sync::OnceLock::new())))
            })
            .collect::<Result<Vec<_>, ScanError>>()?;
        let context = detectors
            .iter()
            .map(|d| {
                d.context
                    .iter()
                    .map(|w| {
                        let ascii = w.bytes().all(|b| b.is_ascii());
                        (memmem::Finder::new(w.as_bytes()).into_owned(), ascii)
                    })
                    .collect()
            })
            .collect();
        Ok(Self {
            detectors,
            text,
            text_detector,
            text_group,
            spanned,
            gate,
            min_len: min_len.max(1),
            cells,
            context,
            options,
            pool: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The detectors, indexed as in [`Hit::detector`].
    #[must_use]
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// The patterns of the text regex, for running a peer tool on the
    /// same union.
    #[must_use]
    pub fn text_patterns(&self) -> Vec<&str> {
        self.detectors
            .iter()
            .filter_map(|d| d.pattern.as_deref())
            .collect()
    }

    /// Length in bytes of the shortest text any pattern can match: shorter
    /// values need no search.
    #[must_use]
    pub const fn min_len(&self) -> usize {
        self.min_len
    }

    /// Minimum confidence in force.
    #[must_use]
    pub const fn min_confidence(&self) -> f32 {
        self.options.min_confidence
    }

    /// Runs `f` with a warm cache from the engine's pool.
    pub fn with_cache<R>(&self, f: impl FnOnce(&mut Cache) -> R) -> R {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut cache = taken.unwrap_or_else(|| self.cache());
        let r = f(&mut cache);
        if let Ok(mut p) = self.pool.lock() {
            p.push(cache);
        }
        r
    }

    /// A warm cache taken from the pool; give it back with
    /// [`Engine::return_cache`].
    #[must_use]
    pub fn pooled_cache(&self) -> Cache {
        self.pool
            .lock()
            .ok()
            .and_then(|mut p| p.pop())
            .unwrap_or_else(|| self.cache())
    }

    /// Returns a cache to the pool.
    pub fn return_cache(&self, cache: Cache) {
        if let Ok(mut p) = self.pool.lock() {
            p.push(cache);
        }
    }

    /// Fresh scratch space for one thread (prefer [`Engine::with_cache`]).
    #[must_use]
    pub fn cache(&self) -> Cache {
        Cache {
            text: self.text.create_cache(),
            caps: self.text.create_captures(),
            cells: self.cells.iter().map(|_| None).collect(),
            window: Vec::with_capacity(WINDOW_BEFORE + WINDOW_AFTER),
            hits: Vec::new(),
            spanned: self
                .spanned
                .iter()
                .map(|s| (s.regex.create_cache(), s.regex.create_captures()))
                .collect(),
            merge: Vec::new(),
            gate: self.gate.as_ref().map(gate::Gate::cache),
            regions: Vec::new(),
            clean: CleanValues::default(),
        }
    }

    /// Finds every accepted match in `hay`, in order and not overlapping.
    /// `hinted` lists detectors a column name points at: they count as
    /// having context.
    ///
    /// Most detectors run together in one pass of the union DFA; those
    /// with a candidate finder run only in the regions it returns. Where
    /// matches overlap, the one that starts first (then the detector listed
    /// first) is kept, as the union's leftmost-first search would.
    pub fn find(&self, cache: &mut Cache, hay: &[u8], hinted: &[usize], out: &mut Vec<Hit>) {
        let base = out.len();
        self.find_union(cache, hay, (0, hay.len()), hinted, out);
        self.find_rest(cache, hay, hinted, out, base);
    }

    /// [`Engine::find`] for a batch of values separated by NUL (which no
    /// built-in pattern crosses): the union runs only over the values its
    /// gate reports a match in. Same hits as [`Engine::find`] wherever no
    /// pattern matches across a NUL.
    pub fn find_values(&self, cache: &mut Cache, hay: &[u8], out: &mut Vec<Hit>) {
        let base = out.len();
        match (&self.gate, cache.gate.as_mut()) {
            (Some(gate), Some(gc)) => {
                let mut regions = std::mem::take(&mut cache.regions);
                regions.clear();
                gate.regions(gc, hay, &mut regions);
                for &r in &regions {
                    self.find_union(cache, hay, r, &[], out);
                }
                cache.regions = regions;
            }
            _ => self.find_union(cache, hay, (0, hay.len()), &[], out),
        }
        self.find_rest(cache, hay, &[], out, base);
    }

    /// The spanned detectors, merged with the union's hits from `base`.
    fn find_rest(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        hinted: &[usize],
        out: &mut Vec<Hit>,
        base: usize,
    ) {
        let union_end = out.len();
        for (slot, sp) in self.spanned.iter().enumerate() {
            self.find_spanned(cache, slot, sp, hay, hinted, out);
        }
        if out.len() > union_end && out.len() > base + 1 {
            let mut all = std::mem::take(&mut cache.merge);
            all.clear();
            all.extend(out.drain(base..));
            all.sort_by_key(|h| (h.start, h.detector));
            let mut end = 0;
            for h in all.drain(..) {
                if h.start >= end {
                    end = h.end;
                    out.push(h);
                }
            }
            cache.merge = all;
        }
    }

    /// Runs the union over `hay[from..to]` (the rest of `hay` is context).
    fn find_union(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        (from, to): (usize, usize),
        hinted: &[usize],
        out: &mut Vec<Hit>,
    ) {
        let to = to.min(hay.len());
        let mut at = from;
        while at < to {
            let input = Input::new(hay).range(at..to);
            let Some(m) = self.text.search_with(&mut cache.text, &input) else {
                break;
            };
            let pid = m.pattern().as_usize();
            let Some(&det) = self.text_detector.get(pid) else {
                break;
            };
            let (vs, ve) = if self.text_group.get(pid).copied().unwrap_or(false) {
                value_group(
                    &self.text,
                    &mut cache.text,
                    &mut cache.caps,
                    hay,
                    (m.start(), m.end()),
                    m.pattern(),
                )
                .unwrap_or((m.start(), m.end()))
            } else {
                (m.start(), m.end())
            };
            match self.accept(cache, hay, det, vs, ve, hinted) {
                Some(hit) => {
                    out.push(hit);
                    at = m.end().max(m.start() + 1);
                }
                None => at = m.start() + 1,
            }
        }
    }

    /// Runs one spanned detector over the regions its finder returns.
    fn find_spanned(
        &self,
        cache: &mut Cache,
        slot: usize,
        sp: &Spanned,
        hay: &[u8],
        hinted: &[usize],
        out: &mut Vec<Hit>,
    ) {
        let anchored = if sp.anchored {
            Anchored::Yes
        } else {
            Anchored::No
        };
        let mut from = 0;
        while from < hay.len() {
            let Some(region) = (sp.finder)(hay, from) else {
                break;
            };
            let end = region.end.min(hay.len());
            let mut limit = region.limit.clamp(end, hay.len());
            let mut at = region.start.max(from);
            let mut next = end.max(from + 1);
            while at < end {
                let Some((rc, caps)) = cache.spanned.get_mut(slot) else {
                    return;
                };
                let input = Input::new(hay).range(at..limit).anchored(anchored);
                let Some(m) = sp.regex.search_with(rc, &input) else {
                    break;
                };
                if m.start() >= end {
                    break;
                }
                if m.end() == limit && limit < hay.len() {
                    // The match may run on: search again with more room.
                    limit = (limit + (limit - at).max(256)).min(hay.len());
                    continue;
                }
                let (vs, ve) = if sp.group {
                    value_group(&sp.regex, rc, caps, hay, (m.start(), m.end()), m.pattern())
                        .unwrap_or((m.start(), m.end()))
                } else {
                    (m.start(), m.end())
                };
                match self.accept(cache, hay, sp.detector, vs, ve, hinted) {
                    Some(hit) => {
                        out.push(hit);
                        at = m.end().max(m.start() + 1);
                        next = next.max(at);
                    }
                    None => at = m.start() + 1,
                }
                if sp.anchored {
                    // The region's one start has been tried.
                    break;
                }
            }
            from = next;
        }
    }

    fn accept(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        det: usize,
        vs: usize,
        ve: usize,
        hinted: &[usize],
    ) -> Option<Hit> {
        let d = self.detectors.get(det)?;
        let bytes = hay.get(vs..ve)?;
        if glued(hay, vs, ve) {
            return None;
        }
        let value = std::str::from_utf8(bytes).ok()?;
        let verdict = (d.validate)(value)?;
        if self.allowed(value) {
            return None;
        }
        let has_context = hinted.contains(&det) || self.context_near(cache, hay, det, vs, ve);
        if d.needs_context && !has_context {
            return None;
        }
        let boost = if has_context { CONTEXT_BOOST } else { 0.0 };
        let confidence = (d.base_confidence.unwrap_or(verdict.confidence) + boost).min(1.0);
        (confidence >= self.options.min_confidence).then_some(Hit {
            detector: det,
            start: vs,
            end: ve,
            confidence,
            jurisdiction: verdict.jurisdiction,
        })
    }

    /// Whether the user allow-listed `value` (no hashing when the list is
    /// empty, as it mostly is).
    fn allowed(&self, value: &str) -> bool {
        !self.options.allow_values.is_empty() && self.options.allow_values.contains(value)
    }

    fn context_near(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        det: usize,
        vs: usize,
        ve: usize,
    ) -> bool {
        let Some(words) = self.context.get(det) else {
            return false;
        };
        if words.is_empty() {
            return false;
        }
        let edge = |b: Option<&u8>| b.is_none_or(|b| *b == b'\n' || *b == 0);
        if edge(vs.checked_sub(1).and_then(|i| hay.get(i))) && edge(hay.get(ve)) {
            // A value alone in its cell or line: no words around it.
            return false;
        }
        let before = hay
            .get(vs.saturating_sub(WINDOW_BEFORE)..vs)
            .unwrap_or_default();
        let before = before
            .iter()
            .rposition(|b| *b == b'\n' || *b == 0)
            .and_then(|i| before.get(i + 1..))
            .unwrap_or(before);
        let after = hay
            .get(ve..(ve + WINDOW_AFTER).min(hay.len()))
            .unwrap_or_default();
        let after = after
            .iter()
            .position(|b| *b == b'\n' || *b == 0)
            .and_then(|i| after.get(..i))
            .unwrap_or(after);
        cache.window.clear();
        cache
            .window
            .extend(before.iter().map(u8::to_ascii_lowercase));
        cache.window.push(b' ');
        cache
            .window
            .extend(after.iter().map(u8::to_ascii_lowercase));
        let w = cache.window.as_slice();
        words.iter().any(|(finder, ascii)| {
            let len = finder.needle().len();
            finder.find_iter(w).any(|i| {
                !*ascii
                    || (!i
                        .checked_sub(1)
                        .and_then(|p| w.get(p))
                        .is_some_and(u8::is_ascii_alphanumeric)
                        && !w.get(i + len).is_some_and(u8::is_ascii_alphanumeric))
            })
        })
    }

    /// Classifies one cell of a column: matches that cover the whole value
    /// (or belong to a detector the column name hints at) go to `whole`,
    /// matches inside longer text go to `partial`.
    pub fn classify_cell(
        &self,
        cache: &mut Cache,
        value: &str,
        hinted: &[usize],
        whole: &mut Vec<Hit>,
        partial: &mut Vec<Hit>,
    ) {
        let (lead, trimmed) = trim(value);
        if trimmed.is_empty() {
            return;
        }
        let mut hits = std::mem::take(&mut cache.hits);
        hits.clear();
        self.find(cache, value.as_bytes(), hinted, &mut hits);
        let before = whole.len();
        for &h in &hits {
            if (h.start == lead && h.end == lead + trimmed.len()) || hinted.contains(&h.detector) {
                whole.push(h);
            } else {
                partial.push(h);
            }
        }
        cache.hits = hits;
        self.hinted_cells(cache, value, hinted, whole, before);
    }

    /// For each hinted detector without a match among `whole[before..]`,
    /// checks whether the whole (trimmed) value has its cell shape and
    /// passes its validator; matches get the column-name boost.
    pub fn hinted_cells(
        &self,
        cache: &mut Cache,
        value: &str,
        hinted: &[usize],
        whole: &mut Vec<Hit>,
        before: usize,
    ) {
        let (lead, trimmed) = trim(value);
        if trimmed.is_empty() {
            return;
        }
        for &det in hinted {
            if whole
                .get(before..)
                .is_some_and(|w| w.iter().any(|h| h.detector == det))
            {
                continue;
            }
            let (Some(re), Some(c), Some(d)) = (
                self.cell_regex(det),
                cache.cells.get_mut(det),
                self.detectors.get(det),
            ) else {
                continue;
            };
            // The validator first: it is cheaper than the regex and
            // rejects most cells that fail (a private address in an IP
            // column); both must pass.
            let Some(verdict) = (d.validate)(trimmed) else {
                continue;
            };
            let c = c.get_or_insert_with(|| re.create_cache());
            if !re.is_match_with(c, &Input::new(trimmed)) {
                continue;
            }
            if self.allowed(trimmed) {
                continue;
            }
            let confidence =
                (d.base_confidence.unwrap_or(verdict.confidence) + CONTEXT_BOOST).min(1.0);
            if confidence >= self.options.min_confidence {
                whole.push(Hit {
                    detector: det,
                    start: lead,
                    end: lead + trimmed.len(),
                    confidence,
                    jurisdiction: verdict.jurisdiction,
                });
            }
        }
    }

    /// Detector `det`'s anchored whole-cell regex, compiled on first use;
    /// `None` when the detector has no pattern (or, beyond what parsing
    /// checks, it does not compile).
    fn cell_regex(&self, det: usize) -> Option<&Regex> {
        let (pattern, compiled) = self.cells.get(det)?.as_ref()?;
        compiled
            .get_or_init(|| {
                let id = self.detectors.get(det).map_or("", |d| d.id.as_str());
                compile_one(id, pattern).ok()
            })
            .as_ref()
    }

    /// Detectors a column or field name points at.
    #[must_use]
    pub fn hinted_by(&self, column: &str) -> Vec<usize> {
        self.detectors
            .iter()
            .enumerate()
            .filter(|(_, d)| d.hinted_by(column))
            .map(|(i, _)| i)
            .collect()
    }
}

/// A value without the whitespace around it, and where it starts: as
/// `str::trim`, without decoding when the first and last bytes are ASCII
/// and not whitespace (nearly every cell).
#[must_use]
pub fn trim(value: &str) -> (usize, &str) {
    let solid =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !matches!(b, b' ' | b'\t'..=b'\r'));
    let bytes = value.as_bytes();
    if solid(bytes.first()) && solid(bytes.last()) {
        return (0, value);
    }
    (value.len() - value.trim_start().len(), value.trim())
}

/// True when a value that starts or ends with a digit is a piece of a
/// longer token: glued to more letters or digits by a `-` or `.`
/// (`2025-04-09` inside `2025-04-09-1234`, `6006-4118-8198` inside a UUID),
/// or directly to more digits, or when a bare run of digits is the tail of
/// an identifier (`s-3706111423872494`).
fn glued(hay: &[u8], vs: usize, ve: usize) -> bool {
    let at = |i: Option<usize>| i.and_then(|i| hay.get(i)).copied();
    let digit = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_digit());
    let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    let sep = |b: Option<u8>| matches!(b, Some(b'-' | b'.'));
    let bare = hay
        .get(vs..ve)
        .is_some_and(|v| v.iter().all(u8::is_ascii_digit));
    let before = vs.checked_sub(1);
    let before2 = vs.checked_sub(2);
    if digit(at(Some(vs)))
        && (digit(at(before))
            || (sep(at(before)) && alnum(at(before2)))
            || (bare && at(before) == Some(b'_') && alnum(at(before2))))
    {
        return true;
    }
    let last = ve.checked_sub(1);
    digit(at(last)) && (digit(at(Some(ve))) || (sep(at(Some(ve))) && alnum(at(Some(ve + 1)))))
}

/// The span of the `v` group of the match at `span` of pattern `pid`.
fn value_group(
    regex: &Regex,
    cache: &mut meta::Cache,
    caps: &mut Captures,
    hay: &[u8],
    span: (usize, usize),
    pid: PatternID,
) -> Option<(usize, usize)> {
    let input = Input::new(hay)
        .range(span.0..span.1)
        .anchored(Anchored::Pattern(pid));
    regex.search_captures_with(cache, &input, caps);
    let v = caps.get_group_by_name("v")?;
    Some((v.start, v.end))
}

/// Lazy-DFA cache of each single-detector regex. The default (2 MB) is
/// too small for Unicode classes over Korean text: the cache fills, is
/// cleared and rebuilt over and over.
const SINGLE_CACHE: usize = 16 * 1024 * 1024;

fn compile_one(id: &str, pattern: &str) -> Result<Regex, ScanError> {
    Regex::builder()
        .configure(Regex::config().hybrid_cache_capacity(SINGLE_CACHE))
        .build(pattern)
        .map_err(|e| ScanError::Pattern {
            detector: id.to_owned(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests;
