//! A mapping compiled for evaluation: source paths numbered once, regexes
//! compiled, value maps hashed; per record it reads only those paths and
//! writes into a reused access event.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use steward_model::bytes::le_word;
use steward_model::event::{AccessEvent, Outcome, PrincipalKind};
use steward_model::jurisdiction::Country;

use super::convert::{
    blank, blank_text, count, into_text, kind, number, outcome, parse_ip, piece, push_int,
    set_text, text,
};
use super::memo::{Key, Memo, Probe, Spare, note};
use super::path::FieldPath;
use super::spec::{FieldSpec, MappingSpec, Otherwise, Part, PathSpec, Test};
use super::time::{Minute, TimeFormat};
use crate::error::MappingError;
use crate::json::Trie;
use crate::value::{Fields, PathId, Plain, Value, ValueError};

/// The access-event field a program fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A `keep` condition (not a field, but failures name it the same way).
    Keep,
    Time,
    EventId,
    PrincipalId,
    PrincipalKind,
    TokenId,
    SessionId,
    KeyId,
    IssuedAt,
    ApiKeyId,
    Ip,
    Country,
    Method,
    Endpoint,
    Subjects,
    RecordTypes,
    Outcome,
    Status,
    Records,
    Bytes,
}

impl Target {
    /// The field's name in the access event's JSON form.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Time => "time_ms",
            Self::EventId => "event_id",
            Self::PrincipalId => "principal.id",
            Self::PrincipalKind => "principal.kind",
            Self::TokenId => "credential.token_id",
            Self::SessionId => "credential.session_id",
            Self::KeyId => "credential.key_id",
            Self::IssuedAt => "credential.issued_at_ms",
            Self::ApiKeyId => "credential.api_key_id",
            Self::Ip => "source.ip",
            Self::Country => "source.country",
            Self::Method => "method",
            Self::Endpoint => "endpoint",
            Self::Subjects => "subjects",
            Self::RecordTypes => "record_types",
            Self::Outcome => "outcome",
            Self::Status => "status",
            Self::Records => "records",
            Self::Bytes => "bytes",
        }
    }
}

#[derive(Debug)]
enum Src {
    Path(PathId),
    First(Vec<PathId>),
    All(Vec<PathId>),
    Const(String),
    Template(Vec<TemplatePart>),
}

#[derive(Debug)]
enum TemplatePart {
    Lit(String),
    Path(PathId),
}

/// A value map: a short list is scanned (faster than hashing a few
/// entries), a long one hashed. The list holds each key's length and last
/// eight bytes (as [`tail`] reads them), so that only a likely match is
/// compared in full: keys such as routes often share a long prefix.
#[derive(Debug)]
enum ValueMap {
    Small(Vec<(usize, u64, String, String)>),
    Hashed(HashMap<String, String>),
}

/// The last eight bytes of `s` (all of it when shorter) as a number.
#[inline]
fn tail(s: &str) -> u64 {
    let b = s.as_bytes();
    le_word(b.get(b.len().saturating_sub(8)..).unwrap_or_default())
}

impl ValueMap {
    fn new(pairs: Vec<(String, String)>) -> Self {
        if pairs.len() <= 16 {
            Self::Small(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.len(), tail(&k), k, v))
                    .collect(),
            )
        } else {
            Self::Hashed(pairs.into_iter().collect())
        }
    }

    #[inline]
    fn get(&self, key: &str) -> Option<&String> {
        match self {
            Self::Small(pairs) => {
                let (n, t) = (key.len(), tail(key));
                pairs
                    .iter()
                    .find(|(len, end, k, _)| *len == n && *end == t && k == key)
                    .map(|(_, _, _, v)| v)
            }
            Self::Hashed(m) => m.get(key),
        }
    }
}

#[derive(Debug)]
struct Program {
    target: Target,
    src: Src,
    /// The regex and its `value` group, if it has one.
    regex: Option<(regex::Regex, Option<usize>)>,
    split: Option<(String, i64)>,
    replace: Vec<(regex::Regex, String)>,
    lowercase: bool,
    map: Option<ValueMap>,
    otherwise: Otherwise,
    default: Option<String>,
    time: TimeFormat,
    lenient: bool,
    steps: bool,
    /// Where the program's results are remembered from record to record
    /// (its index in [`MapState`]'s memos, see [`super::memo`]).
    memo: Option<usize>,
    /// Whether plain values take the direct path.
    direct: Option<Direct>,
}

/// How a program writes a plain value (see [`Fields::plain`]) straight
/// into its field, without the general path's value, steps and store:
/// programs that read a path (or the first of several) with no steps, no
/// default and nothing remembered. Anything not plain, and any conversion
/// that fails, goes the general path, which then reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direct {
    /// `event_id`, `principal.id`, `endpoint`.
    Text,
    /// The optional texts: token, session, key, API key, method.
    Optional,
    /// `time_ms` and `credential.issued_at_ms`.
    Time,
    Ip,
    Status,
    /// `records` and `bytes`.
    Count,
    /// `subjects` and `record_types` from one path, through a value map
    /// when that is the one step.
    List,
}

/// A failed field: which, from where, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldFailure {
    pub target: Target,
    pub path: Option<PathId>,
    pub reason: &'static str,
}

/// CSV layout of a compiled mapping.
#[derive(Debug, Clone)]
pub(crate) struct CsvLayout {
    pub delimiter: u8,
    pub header: bool,
    pub columns: Vec<String>,
}

/// A compiled mapping.
#[derive(Debug)]
pub(crate) struct Plan {
    pub paths: Vec<FieldPath>,
    pub path_names: Vec<Arc<str>>,
    pub trie: Trie,
    pub records: Option<String>,
    pub csv: Option<CsvLayout>,
    keep: Vec<(PathId, Test)>,
    programs: Vec<Program>,
    derive_outcome: bool,
    /// Whether `subjects` and `record_types` are mapped.
    lists: (bool, bool),
    /// Which optional texts are mapped (token, session, key, API key,
    /// method), as bits.
    texts: u8,
    /// How many programs remember their results.
    memos: usize,
}

/// Per-reader state: each program's remembered conversions and scratch.
#[derive(Debug, Default)]
pub(crate) struct MapState {
    memos: Vec<Memo>,
    scratch: Scratch,
    /// Convert every value afresh (tests compare both ways).
    pub(crate) forget: bool,
}

/// Country codes already looked up, strings kept for reuse.
#[derive(Debug, Default)]
struct Scratch {
    countries: Vec<([u8; 3], Option<Country>)>,
    spare: Spare,
    /// The RFC 3339 minute read last.
    minute: Minute,
}

struct Interner<'a> {
    paths: &'a mut Vec<FieldPath>,
}

impl Interner<'_> {
    fn id(&mut self, p: &PathSpec) -> Result<PathId, String> {
        if let Some(i) = self.paths.iter().position(|q| q.segments == p.0.segments) {
            return PathId::try_from(i).map_err(|_| "too many paths".to_owned());
        }
        self.paths.push(p.0.clone());
        PathId::try_from(self.paths.len() - 1).map_err(|_| "too many paths".to_owned())
    }
}

/// The group named `value`, if any.
fn named_value(re: &regex::Regex) -> Option<usize> {
    re.capture_names().position(|n| n == Some("value"))
}

impl Plan {
    pub(crate) fn compile(spec: MappingSpec, file: &str) -> Result<Self, MappingError> {
        let err = |m: String| MappingError::new(file, m);
        let mut paths = Vec::new();
        let mut keep = Vec::new();
        for c in spec.keep {
            let id = Interner { paths: &mut paths }.id(&c.path).map_err(err)?;
            keep.push((id, c.test));
        }
        let f = spec.fields;
        let targets = [
            (Target::Time, f.time_ms),
            (Target::EventId, f.event_id),
            (Target::PrincipalId, f.principal_id),
            (Target::PrincipalKind, f.principal_kind),
            (Target::TokenId, f.token_id),
            (Target::SessionId, f.session_id),
            (Target::KeyId, f.key_id),
            (Target::IssuedAt, f.issued_at_ms),
            (Target::ApiKeyId, f.api_key_id),
            (Target::Ip, f.ip),
            (Target::Country, f.country),
            (Target::Method, f.method),
            (Target::Endpoint, f.endpoint),
            (Target::Subjects, f.subjects),
            (Target::RecordTypes, f.record_types),
            (Target::Status, f.status),
            (Target::Outcome, f.outcome),
            (Target::Records, f.records),
            (Target::Bytes, f.bytes),
        ];
        let mut programs = Vec::new();
        let mut derive_outcome = true;
        let mut memos = 0;
        for (target, spec) in targets {
            let Some(spec) = spec else { continue };
            if target == Target::Outcome {
                derive_outcome = false;
            }
            let mut p = program(target, spec, &mut paths).map_err(err)?;
            if p.memo.is_some() {
                p.memo = Some(memos);
                memos += 1;
            }
            programs.push(p);
        }
        let csv = spec.csv.map(|c| CsvLayout {
            delimiter: c.delimiter,
            header: c.header,
            columns: c.columns,
        });
        if let Some(c) = &csv
            && !c.header
            && c.columns.is_empty()
        {
            return Err(err(
                "`csv`: without a header row, `columns` must name the columns".into(),
            ));
        }
        let records = match spec.records {
            None => None,
            Some(p) => match p.0.segments.as_slice() {
                [super::path::Segment::Key(k)] => Some(k.clone()),
                _ => {
                    return Err(err(format!(
                        "`records`: `{}` must be one top-level field name",
                        p.0.text
                    )));
                }
            },
        };
        let path_names = paths.iter().map(|p| Arc::from(p.text.as_str())).collect();
        let texts = [
            Target::TokenId,
            Target::SessionId,
            Target::KeyId,
            Target::ApiKeyId,
            Target::Method,
        ]
        .iter()
        .enumerate()
        .filter(|(_, t)| programs.iter().any(|p| p.target == **t))
        .fold(0u8, |bits, (k, _)| bits | (1 << k));
        let lists = (
            programs.iter().any(|p| p.target == Target::Subjects),
            programs.iter().any(|p| p.target == Target::RecordTypes),
        );
        Ok(Self {
            trie: Trie::new(&paths),
            paths,
            path_names,
            records,
            csv,
            keep,
            programs,
            derive_outcome,
            lists,
            texts,
            memos,
        })
    }

    /// Whether a record passes `keep`.
    fn kept<F: Fields + ?Sized>(&self, rec: &F) -> Result<bool, (PathId, ValueError)> {
        for (path, test) in &self.keep {
            let v = rec.first(*path).map_err(|r| (*path, r))?;
            let v = v.filter(|v| !v.is_null());
            let pass = match (test, v) {
                (Test::Exists(want), v) => v.is_some() == *want,
                (Test::In(_) | Test::Matches(_), None) => false,
                (Test::NotIn(_), None) => true,
                (Test::In(set), Some(v)) => set.iter().any(|s| *s == *text(&v)),
                (Test::NotIn(set), Some(v)) => !set.iter().any(|s| *s == *text(&v)),
                (Test::Matches(re), Some(v)) => re.is_match(&text(&v)),
            };
            if !pass {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Maps one record into `ev`; `Ok(false)` when `keep` skips it.
    pub(crate) fn apply<F: Fields + ?Sized>(
        &self,
        rec: &F,
        ev: &mut AccessEvent,
        st: &mut MapState,
    ) -> Result<bool, FieldFailure> {
        if !self.keep.is_empty() {
            match self.kept(rec) {
                Ok(true) => {}
                Ok(false) => return Ok(false),
                Err((path, reason)) => {
                    return Err(FieldFailure {
                        target: Target::Keep,
                        path: Some(path),
                        reason,
                    });
                }
            }
        }
        let MapState {
            memos,
            scratch,
            forget,
        } = st;
        reset(ev, self.lists, self.texts, &mut scratch.spare);
        if memos.len() != self.memos {
            memos.clear();
            memos.resize_with(self.memos, Memo::default);
        }
        for p in &self.programs {
            if let Some(how) = p.direct
                && !*forget
                && p.direct(how, rec, ev, scratch)
            {
                continue;
            }
            match p.memo.and_then(|k| memos.get_mut(k)) {
                Some(memo) if !*forget => p.run_memo(rec, ev, scratch, memo)?,
                _ => p.run(rec, ev, scratch)?,
            }
        }
        if self.derive_outcome
            && let Some(s) = ev.status
        {
            ev.outcome = Outcome::from_http_status(s);
        }
        Ok(true)
    }
}

fn program(target: Target, spec: FieldSpec, paths: &mut Vec<FieldPath>) -> Result<Program, String> {
    let mut ids = Interner { paths };
    let prefix = |e: String| format!("`{}`: {e}", target.name());
    let list = |ids: &mut Interner<'_>, ps: Vec<PathSpec>| -> Result<Vec<PathId>, String> {
        ps.iter().map(|p| ids.id(p)).collect()
    };
    let src = if let Some(p) = spec.path {
        Src::Path(ids.id(&p).map_err(prefix)?)
    } else if let Some(ps) = spec.first {
        Src::First(list(&mut ids, ps).map_err(prefix)?)
    } else if let Some(ps) = spec.all {
        Src::All(list(&mut ids, ps).map_err(prefix)?)
    } else if let Some(t) = spec.template {
        let mut parts = Vec::new();
        for p in t.0 {
            parts.push(match p {
                Part::Lit(l) => TemplatePart::Lit(l),
                Part::Path(p) => TemplatePart::Path(ids.id(&p).map_err(prefix)?),
            });
        }
        Src::Template(parts)
    } else {
        Src::Const(spec.constant.map(|t| t.0).unwrap_or_default())
    };
    let regex = spec.regex.map(|p| {
        let g = named_value(&p.0);
        (p.0, g)
    });
    let split = spec.split.map(|s| (s.on, s.index));
    let replace: Vec<_> = spec
        .replace
        .into_iter()
        .map(|r| (r.pattern.0, r.with))
        .collect();
    let map = spec
        .map
        .map(|m| ValueMap::new(m.into_iter().map(|(k, v)| (k.0, v.0)).collect()));
    let steps = regex.is_some()
        || split.is_some()
        || !replace.is_empty()
        || spec.lowercase
        || map.is_some();
    // Remember results where converting costs more than comparing (see
    // `memo`): after text steps, and for the typed fields that take a few
    // values. Lists are compared value by value, which costs as much as a
    // small value map, so they are remembered only after costlier steps.
    // Times take a new value nearly every record.
    let costly = regex.is_some()
        || split.is_some()
        || !replace.is_empty()
        || spec.lowercase
        || matches!(map, Some(ValueMap::Hashed(_)));
    let memo = match target {
        Target::Time | Target::Keep => false,
        Target::PrincipalKind | Target::Outcome | Target::Country => true,
        Target::Subjects | Target::RecordTypes => costly,
        _ => steps,
    };
    let memo = memo.then_some(0);
    // A list whose only step is a value map is direct too (the map is
    // applied to the plain value; anything else goes the general way).
    let map_only = map.is_some()
        && regex.is_none()
        && split.is_none()
        && replace.is_empty()
        && !spec.lowercase;
    let direct = if memo.is_some() || spec.default.is_some() {
        None
    } else if steps {
        match (&src, target) {
            (Src::Path(_), Target::Subjects | Target::RecordTypes) if map_only => {
                Some(Direct::List)
            }
            _ => None,
        }
    } else {
        match (&src, target) {
            (Src::Path(_), Target::Subjects | Target::RecordTypes) => Some(Direct::List),
            (Src::Path(_) | Src::First(_) | Src::All(_), t) => match t {
                Target::EventId | Target::PrincipalId | Target::Endpoint => Some(Direct::Text),
                Target::TokenId
                | Target::SessionId
                | Target::KeyId
                | Target::ApiKeyId
                | Target::Method => Some(Direct::Optional),
                Target::Time | Target::IssuedAt => Some(Direct::Time),
                Target::Ip => Some(Direct::Ip),
                Target::Status => Some(Direct::Status),
                Target::Records | Target::Bytes => Some(Direct::Count),
                _ => None,
            },
            _ => None,
        }
    };
    Ok(Program {
        target,
        src,
        regex,
        split,
        replace,
        lowercase: spec.lowercase,
        map,
        otherwise: spec.otherwise,
        default: spec.default.map(|t| t.0),
        time: spec.time.unwrap_or(TimeFormat::Auto),
        lenient: spec.lenient,
        steps,
        memo,
        direct,
    })
}

/// Clears what the previous record left. Mapped lists and optional texts
/// are left to their programs, which reuse their strings.
fn reset(ev: &mut AccessEvent, lists: (bool, bool), texts: u8, spare: &mut Spare) {
    ev.time_ms = 0;
    ev.event_id.clear();
    ev.principal.id.clear();
    ev.principal.kind = PrincipalKind::Unknown;
    let optional = [
        &mut ev.credential.token_id,
        &mut ev.credential.session_id,
        &mut ev.credential.key_id,
        &mut ev.credential.api_key_id,
        &mut ev.method,
    ];
    for (k, field) in optional.into_iter().enumerate() {
        if texts & (1 << k) == 0 {
            spare.set_opt(field, None);
        }
    }
    ev.credential.issued_at_ms = None;
    ev.source.ip = None;
    ev.source.country = None;
    ev.endpoint.clear();
    if !lists.0 {
        spare.truncate(&mut ev.subjects, 0);
    }
    if !lists.1 {
        spare.truncate(&mut ev.record_types, 0);
    }
    ev.outcome = Outcome::Unknown;
    ev.status = None;
    ev.records = None;
    ev.bytes = None;
}

/// Writes a plain value as text (absent as empty).
#[inline(always)]
fn put(dst: &mut String, v: Plain<'_>) {
    dst.clear();
    match v {
        Plain::Str(s) => dst.push_str(s),
        Plain::Int(i) => push_int(dst, i),
        Plain::Absent | Plain::Other => {}
    }
}

/// Sets an optional text, keeping the strings of emptied fields for reuse.
fn set_opt(dst: &mut Option<String>, v: Option<&Value<'_>>, spare: &mut Spare) {
    match v {
        Some(v) => set_text(dst.get_or_insert_with(|| spare.take()), v),
        None => spare.set_opt(dst, None),
    }
}

impl Scratch {
    fn country(&mut self, s: &str) -> Option<Country> {
        let b = s.as_bytes();
        if b.len() > 3 || b.is_empty() {
            return Country::parse(s).ok();
        }
        let mut key = [0u8; 3];
        for (k, c) in key.iter_mut().zip(b) {
            *k = c.to_ascii_uppercase();
        }
        if let Some((_, c)) = self.countries.iter().find(|(k, _)| *k == key) {
            return *c;
        }
        let c = Country::parse(s).ok();
        if self.countries.len() < 512 {
            self.countries.push((key, c));
        }
        c
    }
}

impl Program {
    fn fail(&self, path: Option<PathId>, reason: &'static str) -> FieldFailure {
        FieldFailure {
            target: self.target,
            path,
            reason,
        }
    }

    /// Regex, split, replace, lower-case and map, in that order; `None`
    /// when a step drops the value.
    fn steps<'a>(&'a self, v: Value<'a>) -> Option<Value<'a>> {
        let mut t = into_text(v);
        if let Some((re, named)) = &self.regex {
            let range = if re.captures_len() == 1 {
                re.find(&t)?.range()
            } else {
                let caps = re.captures(&t)?;
                match named {
                    Some(g) => caps.get(*g)?.range(),
                    None => caps.iter().skip(1).flatten().next()?.range(),
                }
            };
            t = piece(&t, range)?;
        }
        if let Some((on, index)) = &self.split {
            let p = if *index >= 0 {
                t.split(on.as_str()).nth(usize::try_from(*index).ok()?)
            } else {
                t.rsplit(on.as_str())
                    .nth(usize::try_from(-(*index + 1)).ok()?)
            }?;
            let start = p.as_ptr() as usize - t.as_ptr() as usize;
            t = piece(&t, start..start + p.len())?;
        }
        for (re, with) in &self.replace {
            if let Cow::Owned(s) = re.replace_all(&t, with.as_str()) {
                t = Cow::Owned(s);
            }
        }
        if self.lowercase && t.bytes().any(|b| b.is_ascii_uppercase()) {
            t = Cow::Owned(t.to_lowercase());
        }
        if let Some(map) = &self.map
            && let Some(to) = self.mapped(map, t.as_ref())?
        {
            t = Cow::Borrowed(to);
        }
        Some(Value::Str(t))
    }

    /// What the value map makes of `s`: `Some(Some(to))` for a new text,
    /// `Some(None)` to keep `s`, `None` when `otherwise: null` drops it.
    #[inline]
    fn mapped<'a>(&'a self, map: &'a ValueMap, s: &str) -> Option<Option<&'a str>> {
        match (map.get(s), &self.otherwise) {
            (Some(to), _) | (None, Otherwise::Value(to)) => Some(Some(to.as_str())),
            (None, Otherwise::Drop) => None,
            (None, Otherwise::Keep) => Some(None),
        }
    }

    /// The program's single source value (null read as absent), before
    /// steps, and the path it came from.
    #[inline(always)]
    fn source<'a, F: Fields + ?Sized>(
        &'a self,
        rec: &'a F,
        spare: &mut Spare,
    ) -> Result<(Option<Value<'a>>, Option<PathId>), FieldFailure> {
        let (v, path) = match &self.src {
            Src::Path(p) => (rec.first(*p).map_err(|r| self.fail(Some(*p), r))?, Some(*p)),
            Src::First(ps) | Src::All(ps) => {
                let mut found = (None, ps.first().copied());
                for p in ps {
                    let v = rec.first(*p).map_err(|r| self.fail(Some(*p), r))?;
                    if v.as_ref().is_some_and(|v| !v.is_null() && !blank_text(v)) {
                        found = (v, Some(*p));
                        break;
                    }
                }
                found
            }
            Src::Const(c) => (Some(Value::Str(Cow::Borrowed(c.as_str()))), None),
            Src::Template(parts) => self.template(rec, parts, spare)?,
        };
        Ok((v.filter(|v| !v.is_null()), path))
    }

    /// A source value after steps and default.
    #[inline(always)]
    fn finish<'a>(&'a self, mut v: Option<Value<'a>>) -> Option<Value<'a>> {
        if self.steps {
            v = v.and_then(|v| self.steps(v));
        }
        if v.is_none()
            && let Some(d) = &self.default
        {
            v = Some(Value::Str(Cow::Borrowed(d.as_str())));
        }
        v
    }

    /// A template's text; `None` when none of its paths is present.
    fn template<'a, F: Fields + ?Sized>(
        &self,
        rec: &'a F,
        parts: &[TemplatePart],
        spare: &mut Spare,
    ) -> Result<(Option<Value<'a>>, Option<PathId>), FieldFailure> {
        let mut out = spare.take();
        let mut any = false;
        let mut first_path = None;
        for part in parts {
            match part {
                TemplatePart::Lit(l) => out.push_str(l),
                TemplatePart::Path(p) => {
                    first_path = first_path.or(Some(*p));
                    let v = rec.first(*p).map_err(|r| self.fail(Some(*p), r))?;
                    if let Some(v) = v.filter(|v| !v.is_null()) {
                        any = true;
                        out.push_str(&text(&v));
                    }
                }
            }
        }
        if !any {
            spare.give(out);
            return Ok((None, first_path));
        }
        Ok((Some(Value::Str(Cow::Owned(out))), first_path))
    }

    /// Calls `f` with each of a list's source values, in order.
    #[inline(always)]
    fn sources<F: Fields + ?Sized>(
        &self,
        rec: &F,
        f: &mut dyn FnMut(Value<'_>) -> Result<(), ValueError>,
    ) -> Result<(), FieldFailure> {
        match &self.src {
            Src::Path(p) => rec.each(*p, f).map_err(|r| self.fail(Some(*p), r))?,
            Src::All(ps) => {
                for p in ps {
                    rec.each(*p, f).map_err(|r| self.fail(Some(*p), r))?;
                }
            }
            Src::First(ps) => {
                for p in ps {
                    if rec.first(*p).map_err(|r| self.fail(Some(*p), r))?.is_some() {
                        rec.each(*p, f).map_err(|r| self.fail(Some(*p), r))?;
                        break;
                    }
                }
            }
            Src::Const(c) => {
                f(Value::Str(Cow::Borrowed(c.as_str()))).map_err(|r| self.fail(None, r))?;
            }
            Src::Template(parts) => {
                if let (Some(v), path) = self.template(rec, parts, &mut Spare::default())? {
                    f(v).map_err(|r| self.fail(path, r))?;
                }
            }
        }
        Ok(())
    }

    /// Fills a list field, reusing its strings and kept ones; notes the
    /// source values in `keys` when given.
    fn list<F: Fields + ?Sized>(
        &self,
        rec: &F,
        out: &mut Vec<String>,
        spare: &mut Spare,
        mut keys: Option<&mut Vec<Key>>,
    ) -> Result<(), FieldFailure> {
        let mut used = 0usize;
        let mut seen = 0usize;
        let mut push = |v: Value<'_>| -> Result<(), ValueError> {
            if let Some(keys) = keys.as_deref_mut() {
                note(keys, seen, &v);
                seen += 1;
            }
            if v.is_null() {
                return Ok(());
            }
            let v = if self.steps { self.steps(v) } else { Some(v) };
            if let Some(v) = v {
                if out.len() == used {
                    out.push(spare.take());
                }
                let (done, rest) = out.split_at_mut(used);
                if let Some(slot) = rest.first_mut() {
                    set_text(slot, &v);
                    if !slot.is_empty() && !done.iter().any(|s| s == slot) {
                        used += 1;
                    }
                }
                spare.recycle(v);
            }
            Ok(())
        };
        self.sources(rec, &mut push)?;
        if let Some(keys) = keys {
            keys.truncate(seen);
        }
        spare.truncate(out, used);
        if out.is_empty()
            && let Some(d) = &self.default
        {
            let mut s = spare.take();
            s.push_str(d);
            out.push(s);
        }
        Ok(())
    }

    /// Maps one field into `ev`.
    #[inline]
    fn run<F: Fields + ?Sized>(
        &self,
        rec: &F,
        ev: &mut AccessEvent,
        scratch: &mut Scratch,
    ) -> Result<(), FieldFailure> {
        match self.target {
            Target::Subjects => return self.list(rec, &mut ev.subjects, &mut scratch.spare, None),
            Target::RecordTypes => {
                return self.list(rec, &mut ev.record_types, &mut scratch.spare, None);
            }
            _ => {}
        }
        let (v, path) = self.source(rec, &mut scratch.spare)?;
        let v = self.finish(v);
        let result = self.store(v.as_ref(), ev, scratch);
        if let Some(v) = v {
            scratch.spare.recycle(v);
        }
        match result {
            Ok(()) => Ok(()),
            Err(_) if self.lenient && self.target != Target::Time => Ok(()),
            Err(reason) => Err(self.fail(path, reason)),
        }
    }

    /// Maps one field into `ev`, from what `memo` remembers for the same
    /// source value when it can.
    fn run_memo<F: Fields + ?Sized>(
        &self,
        rec: &F,
        ev: &mut AccessEvent,
        scratch: &mut Scratch,
        memo: &mut Memo,
    ) -> Result<(), FieldFailure> {
        if let Target::Subjects | Target::RecordTypes = self.target {
            return self.list_memo(rec, ev, &mut scratch.spare, memo);
        }
        let (raw, path) = self.source(rec, &mut scratch.spare)?;
        let probe = Probe::of(raw.as_ref());
        if memo.recall(&probe, self.target, ev, &mut scratch.spare) {
            if let Some(v) = raw {
                scratch.spare.recycle(v);
            }
            return Ok(());
        }
        let at = memo.start(&probe);
        let v = self.finish(raw);
        let result = self.store(v.as_ref(), ev, scratch);
        if let Some(v) = v {
            scratch.spare.recycle(v);
        }
        match result {
            Ok(()) => {}
            Err(_) if self.lenient && self.target != Target::Time => {}
            Err(reason) => return Err(self.fail(path, reason)),
        }
        memo.keep(at, self.target, ev);
        Ok(())
    }

    /// Maps a list field: from what `memo` remembers for the same source
    /// values, else afresh.
    fn list_memo<F: Fields + ?Sized>(
        &self,
        rec: &F,
        ev: &mut AccessEvent,
        spare: &mut Spare,
        memo: &mut Memo,
    ) -> Result<(), FieldFailure> {
        let mut alive = u32::MAX;
        let mut n = 0usize;
        self.sources(rec, &mut |v| {
            alive = memo.matching(alive, n, &v);
            n += 1;
            Ok(())
        })?;
        if memo.recall_list(alive, n, self.target, ev, spare) {
            return Ok(());
        }
        let (at, keys) = memo.start_list();
        let out = if self.target == Target::Subjects {
            &mut ev.subjects
        } else {
            &mut ev.record_types
        };
        self.list(rec, out, spare, keys)?;
        memo.keep(at, self.target, ev);
        Ok(())
    }

    /// Maps the field from a plain value as [`Program::run`] would; false,
    /// with nothing written, when the value is not plain or its conversion
    /// fails (the general path then maps or reports it).
    #[inline(always)]
    fn direct<F: Fields + ?Sized>(
        &self,
        how: Direct,
        rec: &F,
        ev: &mut AccessEvent,
        scratch: &mut Scratch,
    ) -> bool {
        if how == Direct::List {
            return self.direct_list(rec, ev, &mut scratch.spare);
        }
        let v = match &self.src {
            Src::Path(p) => rec.plain(*p),
            // The first value that is neither absent nor empty text; a
            // value that is not plain (null among them) stops the search
            // and leaves the field to the general path.
            Src::First(ps) | Src::All(ps) => {
                let mut found = Plain::Absent;
                for p in ps {
                    match rec.plain(*p) {
                        Plain::Absent | Plain::Str("") => {}
                        v => {
                            found = v;
                            break;
                        }
                    }
                }
                found
            }
            Src::Const(_) | Src::Template(_) => Plain::Other,
        };
        // Non-text fields read "" and "-" as absent.
        let present = match v {
            Plain::Other => return false,
            Plain::Str("" | "-") => Plain::Absent,
            v => v,
        };
        let millis = |v: Plain<'_>, minute: &mut Minute| match v {
            Plain::Str(s) => self
                .time
                .to_millis_in(&Value::Str(Cow::Borrowed(s)), minute)
                .ok(),
            Plain::Int(i) => self.time.to_millis_in(&Value::Int(i), minute).ok(),
            Plain::Absent | Plain::Other => None,
        };
        match how {
            Direct::Text => {
                let dst = match self.target {
                    Target::EventId => &mut ev.event_id,
                    Target::PrincipalId => &mut ev.principal.id,
                    Target::Endpoint => &mut ev.endpoint,
                    _ => return false,
                };
                put(dst, v);
            }
            Direct::Optional => {
                let dst = match self.target {
                    Target::TokenId => &mut ev.credential.token_id,
                    Target::SessionId => &mut ev.credential.session_id,
                    Target::KeyId => &mut ev.credential.key_id,
                    Target::ApiKeyId => &mut ev.credential.api_key_id,
                    Target::Method => &mut ev.method,
                    _ => return false,
                };
                if v == Plain::Absent {
                    scratch.spare.set_opt(dst, None);
                } else {
                    put(dst.get_or_insert_with(|| scratch.spare.take()), v);
                }
            }
            Direct::Time => {
                let ms = match present {
                    Plain::Absent => None,
                    v => match millis(v, &mut scratch.minute) {
                        Some(ms) => Some(ms),
                        None => return false,
                    },
                };
                match (self.target, ms) {
                    (Target::Time, Some(ms)) => ev.time_ms = ms,
                    (Target::IssuedAt, ms) => ev.credential.issued_at_ms = ms,
                    _ => return false,
                }
            }
            Direct::Ip => {
                ev.source.ip = match present {
                    Plain::Absent => None,
                    Plain::Str(s) => match parse_ip(s.trim()) {
                        Some(ip) => Some(ip),
                        None => return false,
                    },
                    Plain::Int(_) | Plain::Other => return false,
                };
            }
            Direct::Status => {
                ev.status = match present {
                    Plain::Absent => None,
                    Plain::Int(i) if (0..1000).contains(&i) => u16::try_from(i).ok(),
                    _ => return false,
                };
            }
            Direct::Count => {
                let n = match present {
                    Plain::Absent => None,
                    Plain::Int(i) => match u64::try_from(i) {
                        Ok(n) => Some(n),
                        Err(_) => return false,
                    },
                    _ => return false,
                };
                match self.target {
                    Target::Records => ev.records = n,
                    Target::Bytes => ev.bytes = n,
                    _ => return false,
                }
            }
            Direct::List => return false,
        }
        true
    }

    /// A list field from a path that holds one plain value, as
    /// [`Program::list`] would fill it (empty text is no entry).
    #[inline(always)]
    fn direct_list<F: Fields + ?Sized>(
        &self,
        rec: &F,
        ev: &mut AccessEvent,
        spare: &mut Spare,
    ) -> bool {
        let Src::Path(p) = &self.src else {
            return false;
        };
        let v = rec.only(*p);
        let out = match self.target {
            Target::Subjects => &mut ev.subjects,
            Target::RecordTypes => &mut ev.record_types,
            _ => return false,
        };
        // The value map's answer, as `steps` gives it.
        let v = match (v, &self.map) {
            (Plain::Str(s), Some(map)) => match self.mapped(map, s) {
                Some(to) => Plain::Str(to.unwrap_or(s)),
                None => Plain::Absent,
            },
            (Plain::Int(_), Some(_)) => return false,
            (v, _) => v,
        };
        match v {
            Plain::Other => return false,
            Plain::Absent | Plain::Str("") => spare.truncate(out, 0),
            v => {
                spare.truncate(out, 1);
                match out.first_mut() {
                    Some(slot) => put(slot, v),
                    None => {
                        let mut s = spare.take();
                        put(&mut s, v);
                        out.push(s);
                    }
                }
            }
        }
        true
    }

    fn store(
        &self,
        v: Option<&Value<'_>>,
        ev: &mut AccessEvent,
        scratch: &mut Scratch,
    ) -> Result<(), ValueError> {
        // Non-text fields read "" and "-" as absent.
        let present = v.filter(|v| !blank(v));
        let spare = &mut scratch.spare;
        match self.target {
            Target::Time => {
                ev.time_ms = self
                    .time
                    .to_millis_in(present.ok_or("missing")?, &mut scratch.minute)?;
            }
            Target::IssuedAt => {
                ev.credential.issued_at_ms = present
                    .map(|v| self.time.to_millis_in(v, &mut scratch.minute))
                    .transpose()?;
            }
            Target::EventId => set_text(&mut ev.event_id, v.unwrap_or(&Value::Null)),
            Target::PrincipalId => set_text(&mut ev.principal.id, v.unwrap_or(&Value::Null)),
            Target::Endpoint => set_text(&mut ev.endpoint, v.unwrap_or(&Value::Null)),
            Target::TokenId => set_opt(&mut ev.credential.token_id, v, spare),
            Target::SessionId => set_opt(&mut ev.credential.session_id, v, spare),
            Target::KeyId => set_opt(&mut ev.credential.key_id, v, spare),
            Target::ApiKeyId => set_opt(&mut ev.credential.api_key_id, v, spare),
            Target::Method => set_opt(&mut ev.method, v, spare),
            Target::PrincipalKind => {
                ev.principal.kind = present.map_or(PrincipalKind::Unknown, |v| kind(&text(v)));
            }
            Target::Outcome => ev.outcome = present.map_or(Outcome::Unknown, outcome),
            Target::Ip => {
                ev.source.ip = match present {
                    None => None,
                    Some(Value::Str(s)) => Some(parse_ip(s.trim()).ok_or("not an IP address")?),
                    Some(_) => return Err("not an IP address"),
                };
            }
            Target::Country => {
                ev.source.country = match present {
                    Some(Value::Str(s)) => scratch.country(s),
                    _ => None,
                };
            }
            Target::Status => {
                ev.status = match present {
                    None => None,
                    Some(v) => match number(v) {
                        Ok(Value::Int(i)) if (0..1000).contains(&i) => u16::try_from(i).ok(),
                        _ => return Err("not an HTTP status"),
                    },
                };
            }
            Target::Records => ev.records = present.map(count).transpose()?,
            Target::Bytes => ev.bytes = present.map(count).transpose()?,
            Target::Subjects | Target::RecordTypes | Target::Keep => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::ValueMap;

    #[test]
    fn short_and_hashed_value_maps_find_the_same_entries() {
        // Keys that share a long prefix, a tail, or are shorter than eight
        // bytes, and probes that differ from them in one of those.
        let keys = [
            "",
            "a",
            "ab",
            "/api/v1/members/{id}/profile",
            "/api/v2/members/{id}/profile",
            "x/profile",
            "profile",
            "한국",
            "abcdefgh",
            "zabcdefgh",
        ];
        let pairs: Vec<_> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| ((*k).to_owned(), i.to_string()))
            .collect();
        let short = ValueMap::new(pairs.clone());
        assert!(matches!(short, ValueMap::Small(_)));
        let filler = (0..20).map(|i| (format!("filler{i}"), String::new()));
        let hashed = ValueMap::new(pairs.into_iter().chain(filler).collect());
        assert!(matches!(hashed, ValueMap::Hashed(_)));
        let others = [
            "b",
            "/api/v3/members/{id}/profile",
            "abcdefg",
            "bcdefgh",
            "Profile",
            "한",
        ];
        for probe in keys.iter().chain(&others) {
            let want = keys.iter().position(|k| k == probe).map(|i| i.to_string());
            assert_eq!(short.get(probe).cloned(), want, "{probe}");
            assert_eq!(hashed.get(probe).cloned(), want, "{probe}");
        }
    }
}
