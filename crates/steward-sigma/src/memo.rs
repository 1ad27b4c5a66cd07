//! A memo of detection results per combination of low-cardinality field
//! values.
//!
//! Most detection rules of an access-log pack test fields that take a
//! handful of values (`endpoint` as a route template, `outcome`,
//! `principal.kind`, `source.country`, …), so the same combination comes
//! back event after event, and so does the set of rules that match. When a
//! rule set is built, [`MemoPlan::new`] walks each compiled rule's
//! detections and records which fields each reads and how. A detection item
//! is *decided by the key* when it reads the value of a [`LOW_CARDINALITY`]
//! field (any other field only with `|exists`, a boolean) through a matcher
//! that looks at nothing but that field (no `fieldref`, no `expand`; no
//! keywords, no array scopes). A rule all of whose items are decided is
//! *memoised*. A rule with some decided items is *guarded*: each detection
//! gets a probe, the detection itself when all its items are decided, else
//! its decided items (false whenever the detection is false), and the
//! rule's condition, evaluated in three-valued logic over the probes'
//! verdicts, may already be false (or true) for the key.
//!
//! Per event, [`Memo::lookup`] writes out exactly the fields the key holds
//! (an injective encoding, so equal bytes mean equal values), hashes those
//! bytes and compares them with a candidate's stored key: no false hits.
//! An entry holds the memoised and guarded rules that match for the key,
//! and the guarded rules it leaves open with their probes' verdicts: for
//! those rsigma-eval evaluates the detections the probes leave open. rsigma-eval evaluates whole rules for
//! the rules the key says nothing about, and on a miss.
//!
//! The memo is a cache, not state: it is not serialised, and a restored
//! engine starts with an empty one. It is bounded ([`CAPACITY`] entries,
//! cleared when full; keys longer than [`MAX_KEY`] bytes are not stored) and
//! switches itself off for [`PAUSE`] events when fewer than a quarter of the
//! lookups of a [`WINDOW`] hit, so traffic whose combinations do not repeat
//! pays a counter decrement per event for it.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::hash::BuildHasher;
use std::net::IpAddr;

use rsigma_eval::CompiledRule;
use rsigma_eval::compiler::{CompiledDetection, CompiledDetectionItem, eval_condition};
use rsigma_eval::matcher::CompiledMatcher;
use rsigma_parser::{ConditionExpr, Quantifier};
use steward_model::event::{AccessEvent, Outcome, PrincipalKind};

use crate::event::AccessEventView;
use crate::fields::{Field, Value, value};
use crate::native::Native;
use crate::state::fast::{FastMap, FastState};

/// Fields whose values repeat across events: route templates, enumerations,
/// countries, record types, signing keys and partner keys, methods, HTTP
/// statuses. A decided detection may test their values; other fields only
/// with `|exists`.
pub(crate) const LOW_CARDINALITY: [Field; 9] = [
    Field::Endpoint,
    Field::Outcome,
    Field::PrincipalKind,
    Field::SourceCountry,
    Field::RecordTypes,
    Field::KeyId,
    Field::ApiKeyId,
    Field::Method,
    Field::Status,
];

/// Most entries the memo holds; it is cleared when full.
pub(crate) const CAPACITY: usize = 4_096;
/// Longest key stored, in bytes (the pack's keys take about 170).
pub(crate) const MAX_KEY: usize = 1_024;
/// Lookups per hit-rate window.
pub(crate) const WINDOW: u32 = 4_096;
/// Events the memo stays off after a window with a poor hit rate.
pub(crate) const PAUSE: u32 = 1 << 18;

/// How a detection reads a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Read {
    /// Only whether it is present (`|exists`).
    Exists,
    /// Its value.
    Value,
}

/// The fields a compiled detection reads and how, sorted by field, each
/// once (a value read wins over an existence check); `None` when it reads
/// something else: keywords (every field), another field through
/// `fieldref` or `expand`, array scopes, an unknown field or an unknown
/// matcher.
pub(crate) fn detection_fields(d: &CompiledDetection) -> Option<Vec<(Field, Read)>> {
    let mut out = Vec::new();
    detection_reads(d, &mut out)?;
    normalise(&mut out);
    Some(out)
}

fn normalise(reads: &mut Vec<(Field, Read)>) {
    reads.sort_unstable();
    reads.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = kept.1.max(later.1);
        }
        same
    });
}

fn detection_reads(d: &CompiledDetection, out: &mut Vec<(Field, Read)>) -> Option<()> {
    match d {
        CompiledDetection::AllOf(items) => items.iter().try_for_each(|i| item_reads(i, out)),
        CompiledDetection::AnyOf(list) | CompiledDetection::And(list) => {
            list.iter().try_for_each(|d| detection_reads(d, out))
        }
        CompiledDetection::Keywords(_)
        | CompiledDetection::ArrayMatch { .. }
        | CompiledDetection::Conditional { .. } => None,
    }
}

fn item_reads(item: &CompiledDetectionItem, out: &mut Vec<(Field, Read)>) -> Option<()> {
    let field = Field::parse(item.field.as_deref()?)?;
    if item.exists.is_some() {
        // rsigma-eval answers from presence alone, before the matcher.
        out.push((field, Read::Exists));
        return Some(());
    }
    own_value_only(&item.matcher).then(|| out.push((field, Read::Value)))
}

/// Whether a matcher's verdict depends on the item's field value alone.
fn own_value_only(m: &CompiledMatcher) -> bool {
    match m {
        CompiledMatcher::Exact { .. }
        | CompiledMatcher::Contains { .. }
        | CompiledMatcher::StartsWith { .. }
        | CompiledMatcher::EndsWith { .. }
        | CompiledMatcher::Regex(_)
        | CompiledMatcher::AhoCorasickSet { .. }
        | CompiledMatcher::RegexSetMatch { .. }
        | CompiledMatcher::Cidr(_)
        | CompiledMatcher::NumericEq(_)
        | CompiledMatcher::NumericGt(_)
        | CompiledMatcher::NumericGte(_)
        | CompiledMatcher::NumericLt(_)
        | CompiledMatcher::NumericLte(_)
        | CompiledMatcher::Exists(_)
        | CompiledMatcher::Null
        | CompiledMatcher::BoolEq(_) => true,
        CompiledMatcher::TimestampPart { inner, .. } | CompiledMatcher::Not(inner) => {
            own_value_only(inner)
        }
        CompiledMatcher::AnyOf(children)
        | CompiledMatcher::AllOf(children)
        | CompiledMatcher::CaseInsensitiveGroup { children, .. } => {
            children.iter().all(own_value_only)
        }
        // `FieldRef` and `Expand` read other fields; anything newer is not
        // known to be pure.
        _ => false,
    }
}

/// Whether a detection reading `reads` is decided by the key.
pub(crate) fn decidable(reads: &[(Field, Read)]) -> bool {
    reads
        .iter()
        .all(|(f, r)| *r == Read::Exists || LOW_CARDINALITY.contains(f))
}

/// Most probes a guard keeps (their verdicts are the bits of a `u64`); the
/// key tells nothing about any further detections.
const MAX_PROBES: usize = 64;

/// A detection the key decides that is false whenever `d` is false (`d`'s
/// items the key decides), with the fields it reads; `None` when the key
/// tells nothing about `d`.
fn probe(d: &CompiledDetection, fields: &mut Vec<(Field, Read)>) -> Option<CompiledDetection> {
    match d {
        CompiledDetection::AllOf(items) => {
            let mut kept = Vec::new();
            for item in items {
                let mut reads = Vec::new();
                if item_reads(item, &mut reads).is_some() && decidable(&reads) {
                    fields.extend(reads);
                    kept.push(item.clone());
                }
            }
            (!kept.is_empty()).then_some(CompiledDetection::AllOf(kept))
        }
        // False when every alternative's probe is: each needs one.
        CompiledDetection::AnyOf(list) => {
            let mut read = Vec::new();
            let probes = list
                .iter()
                .map(|d| probe(d, &mut read))
                .collect::<Option<Vec<_>>>()?;
            fields.extend(read);
            Some(CompiledDetection::AnyOf(probes))
        }
        // False when any part's probe is.
        CompiledDetection::And(list) => {
            let probes: Vec<_> = list.iter().filter_map(|d| probe(d, fields)).collect();
            (!probes.is_empty()).then_some(CompiledDetection::And(probes))
        }
        CompiledDetection::Keywords(_)
        | CompiledDetection::ArrayMatch { .. }
        | CompiledDetection::Conditional { .. } => None,
    }
}

/// A rule some of whose detections the key decides, or decides when they
/// are false.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// The rule, by index.
    pub rule: u32,
    /// Every detection of the rule, by name, with the condition naming it
    /// alone.
    pub detections: Vec<(String, ConditionExpr)>,
    /// What the key tells: a detection (index in `detections`), and whether
    /// its probe is the detection itself (exact) or only false when it is.
    pub probes: Vec<(usize, bool)>,
    /// The probes, under the names of the detections they stand for.
    probe_detections: HashMap<String, CompiledDetection>,
    /// Per detection (as in `detections`), its items on resolved fields
    /// when it is one list of them: evaluated here rather than by name in
    /// rsigma-eval.
    natives: Vec<Option<Native>>,
    /// The rule's conditions over detections by index (`None` when one
    /// names a detection the rule does not have), so that
    /// [`Guard::finish`] looks no name up per event.
    conditions: Option<Vec<Cond>>,
    /// Per detection (as in `detections`), its probe: position in
    /// `probes` and whether it is exact.
    probe_at: Vec<Option<(usize, bool)>>,
}

/// A condition with its detections resolved to indices.
#[derive(Debug, Clone)]
enum Cond {
    /// A detection, by index in [`Guard::detections`].
    Detection(usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    /// A selector (`1 of sel*`, `all of them`): the detections its
    /// pattern names, and how many must hold.
    Count {
        of: Vec<usize>,
        need: u64,
    },
}

impl Cond {
    fn compile(
        expr: &ConditionExpr,
        rule: &CompiledRule,
        detections: &[(String, ConditionExpr)],
    ) -> Option<Self> {
        let at = |name: &str| detections.iter().position(|(n, _)| n == name);
        let all = |list: &[ConditionExpr]| {
            list.iter()
                .map(|e| Self::compile(e, rule, detections))
                .collect::<Option<Vec<_>>>()
        };
        Some(match expr {
            ConditionExpr::Identifier(name) => Self::Detection(at(name)?),
            ConditionExpr::Not(inner) => {
                Self::Not(Box::new(Self::compile(inner, rule, detections)?))
            }
            ConditionExpr::And(list) => Self::And(all(list)?),
            ConditionExpr::Or(list) => Self::Or(all(list)?),
            ConditionExpr::Selector {
                quantifier,
                pattern,
            } => {
                let of = rule
                    .detections
                    .keys()
                    .filter(|n| pattern.matches_detection_name(n))
                    .map(|n| at(n))
                    .collect::<Option<Vec<_>>>()?;
                let need = match quantifier {
                    Quantifier::Any => 1,
                    Quantifier::All => of.len() as u64,
                    Quantifier::Count(n) => *n,
                };
                Self::Count { of, need }
            }
        })
    }

    /// The condition's value in Kleene's three-valued logic, `known`
    /// giving each detection's verdict or `None` when unknown: `None` when
    /// the unknown ones could make it true or false. With every detection
    /// known it is rsigma-eval's verdict (detections are pure, so
    /// evaluation order and short-circuits do not matter).
    fn eval(&self, known: &mut dyn FnMut(usize) -> Option<bool>) -> Option<bool> {
        match self {
            Self::Detection(at) => known(*at),
            Self::Not(inner) => inner.eval(known).map(|v| !v),
            Self::And(list) => {
                let mut all = Some(true);
                for e in list {
                    match e.eval(known) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            Self::Or(list) => {
                let mut any = Some(false);
                for e in list {
                    any = or3(any, e.eval(known));
                    if any == Some(true) {
                        break;
                    }
                }
                any
            }
            Self::Count { of, need } => {
                let (mut yes, mut unknown) = (0u64, 0u64);
                for at in of {
                    match known(*at) {
                        Some(true) => yes += 1,
                        Some(false) => {}
                        None => unknown += 1,
                    }
                }
                if yes >= *need {
                    Some(true)
                } else if yes + unknown < *need {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }
}

impl Guard {
    /// What probe `j`'s verdict in `bits` says about its detection.
    fn known(bits: u64, j: usize, exact: bool) -> Option<bool> {
        let probe = bits >> j & 1 == 1;
        if exact || !probe { Some(probe) } else { None }
    }

    /// What the probes' verdicts in `bits` say about detection `at`.
    fn probed(&self, bits: u64, at: usize) -> Option<bool> {
        let (j, exact) = self.probe_at.get(at).copied().flatten()?;
        Self::known(bits, j, exact)
    }

    /// The rule's verdict in Kleene's three-valued logic, `known` giving
    /// each detection's verdict (by index) or `None` when unknown: `None`
    /// when the unknown ones could make it true or false, or when a
    /// condition names a detection the rule does not have.
    fn verdict(&self, known: &mut dyn FnMut(usize) -> Option<bool>) -> Option<bool> {
        let mut any = Some(false);
        for c in self.conditions.as_deref()? {
            any = or3(any, c.eval(known));
            if any == Some(true) {
                break;
            }
        }
        any
    }

    /// The rule's verdict from the probes alone (`None` when the other
    /// detections could make it either), and the probes' verdicts as bits
    /// in the order of [`Guard::probes`].
    pub(crate) fn decide(
        &self,
        view: &AccessEventView<'_>,
        selections: &mut Vec<String>,
    ) -> (Option<bool>, u64) {
        let mut bits = 0u64;
        for (j, (d, _)) in self.probes.iter().enumerate() {
            let Some((_, alone)) = self.detections.get(*d) else {
                continue;
            };
            selections.clear();
            if eval_condition(alone, &self.probe_detections, view, selections) {
                bits |= 1 << j;
            }
        }
        (self.verdict(&mut |at| self.probed(bits, at)), bits)
    }

    /// Whether the rule matches, given the probes' verdicts (`bits` from
    /// [`Guard::decide`]): detections the probes leave open are evaluated
    /// (natively, or by rsigma-eval) as the condition needs them. `None`
    /// when the condition names a detection the rule does not have (the
    /// caller then asks rsigma-eval for the whole rule).
    pub(crate) fn finish(
        &self,
        rule: &CompiledRule,
        bits: u64,
        view: &AccessEventView<'_>,
        selections: &mut Vec<String>,
    ) -> Option<bool> {
        self.verdict(&mut |at| {
            if let Some(known) = self.probed(bits, at) {
                return Some(known);
            }
            if let Some(Some(native)) = self.natives.get(at) {
                return Some(native.matches(view));
            }
            let (_, alone) = self.detections.get(at)?;
            selections.clear();
            Some(eval_condition(alone, &rule.detections, view, selections))
        })
    }
}

/// Kleene's three-valued OR.
fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Which rules the memo answers for and what its key holds; built with the
/// rule set.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoPlan {
    /// Rules decided by the key, by index, ascending.
    pub memo: Vec<u32>,
    /// Rules with some detections decided by the key, ascending.
    pub guarded: Vec<Guard>,
    /// Rules the key says nothing about, ascending.
    pub other: Vec<u32>,
    /// The key's fields, sorted, each once.
    pub key: Vec<(Field, Read)>,
}

impl MemoPlan {
    pub(crate) fn new(rules: &[CompiledRule]) -> Self {
        let mut plan = Self::default();
        for (i, rule) in rules.iter().enumerate() {
            let Ok(index) = u32::try_from(i) else {
                // Not indexable: no memo (the engine then evaluates all).
                return Self::default();
            };
            let mut fields = Vec::new();
            let mut detections = Vec::new();
            let mut probes = Vec::new();
            let mut probe_detections = HashMap::new();
            let mut natives = Vec::new();
            let mut exact_only = true;
            let mut names: Vec<&String> = rule.detections.keys().collect();
            names.sort_unstable();
            for name in names {
                let Some(d) = rule.detections.get(name) else {
                    continue;
                };
                let at = detections.len();
                detections.push((name.clone(), ConditionExpr::Identifier(name.clone())));
                natives.push(Native::of(d));
                let exact = detection_fields(d).filter(|r| decidable(r));
                exact_only &= exact.is_some();
                if probes.len() >= MAX_PROBES {
                    exact_only = false;
                    continue;
                }
                if let Some(reads) = exact {
                    fields.extend(reads);
                    probes.push((at, true));
                    probe_detections.insert(name.clone(), d.clone());
                } else if let Some(p) = probe(d, &mut fields) {
                    probes.push((at, false));
                    probe_detections.insert(name.clone(), p);
                }
            }
            if exact_only {
                plan.memo.push(index);
            } else if probes.is_empty() {
                plan.other.push(index);
                continue;
            } else {
                let conditions = rule
                    .conditions
                    .iter()
                    .map(|c| Cond::compile(c, rule, &detections))
                    .collect::<Option<Vec<_>>>();
                let probe_at = (0..detections.len())
                    .map(|at| {
                        probes
                            .iter()
                            .enumerate()
                            .find_map(|(j, &(d, exact))| (d == at).then_some((j, exact)))
                    })
                    .collect();
                plan.guarded.push(Guard {
                    rule: index,
                    detections,
                    probes,
                    probe_detections,
                    natives,
                    conditions,
                    probe_at,
                });
            }
            plan.key.extend(fields);
        }
        normalise(&mut plan.key);
        plan
    }

    /// Whether the memo has anything to answer.
    pub(crate) const fn useful(&self) -> bool {
        !self.memo.is_empty() || !self.guarded.is_empty()
    }

    /// Writes the key of `event`: per key field, its presence or its value,
    /// every part self-delimiting, so equal keys mean equal values.
    fn encode(&self, event: &AccessEvent, out: &mut Vec<u8>) {
        for (field, read) in &self.key {
            match (read, field) {
                // Enumerations by their code: two bytes, without a lookup
                // of the field's text.
                (Read::Value, Field::PrincipalKind) => {
                    out.extend_from_slice(&[KIND, kind_code(event.principal.kind)]);
                }
                (Read::Value, Field::Outcome) => {
                    out.extend_from_slice(&[OUTCOME, outcome_code(event.outcome)]);
                }
                (Read::Exists, _) => out.push(if value(event, *field).is_some() {
                    PRESENT
                } else {
                    ABSENT
                }),
                (Read::Value, _) => match value(event, *field) {
                    Some(v) => encode_value(&v, out),
                    None => out.push(ABSENT),
                },
            }
        }
    }
}

const fn kind_code(kind: PrincipalKind) -> u8 {
    match kind {
        PrincipalKind::Customer => 0,
        PrincipalKind::Staff => 1,
        PrincipalKind::Service => 2,
        PrincipalKind::ApiKey => 3,
        PrincipalKind::Anonymous => 4,
        PrincipalKind::Unknown => 5,
    }
}

const fn outcome_code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Success => 0,
        Outcome::Denied => 1,
        Outcome::NotFound => 2,
        Outcome::Error => 3,
        Outcome::Unknown => 4,
    }
}

const PRESENT: u8 = 1;
const ABSENT: u8 = 2;
const STR: u8 = 3;
const INT: u8 = 4;
const IP4: u8 = 5;
const IP6: u8 = 6;
const TIME: u8 = 7;
const LIST: u8 = 8;
/// Text of fewer than 256 bytes: its length in one byte.
const SHORT_STR: u8 = 9;
/// A principal kind, by code.
const KIND: u8 = 10;
/// An outcome, by code.
const OUTCOME: u8 = 11;

fn encode_value(v: &Value<'_>, out: &mut Vec<u8>) {
    match v {
        Value::Str(s) => text(out, s),
        Value::Int(n) => head(out, INT, n.cast_unsigned()),
        Value::Ip(IpAddr::V4(ip)) => head(out, IP4, u64::from(ip.to_bits())),
        Value::Ip(IpAddr::V6(ip)) => {
            head(out, IP6, 16);
            out.extend_from_slice(&ip.octets());
        }
        Value::Time(ms) => head(out, TIME, ms.cast_unsigned()),
        Value::List(items) => {
            head(out, LIST, items.len() as u64);
            for s in *items {
                text(out, s);
            }
        }
    }
}

/// Text with its length: two bytes of head for the short text the key
/// fields hold (a route, a country, a key id), nine past 255 bytes.
fn text(out: &mut Vec<u8>, s: &str) {
    match u8::try_from(s.len()) {
        Ok(n) => out.extend_from_slice(&[SHORT_STR, n]),
        Err(_) => head(out, STR, s.len() as u64),
    }
    out.extend_from_slice(s.as_bytes());
}

/// A tag and a number (a length or an integer): nine bytes of a key.
fn head(out: &mut Vec<u8>, tag: u8, n: u64) {
    let [a, b, c, d, e, f, g, h] = n.to_le_bytes();
    out.extend_from_slice(&[tag, a, b, c, d, e, f, g, h]);
}

/// How the detection memo of a [`crate::SigmaEngine`] has done (it is not
/// part of the checkpointed state).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoStats {
    /// Events looked up in the memo.
    pub lookups: u64,
    /// Lookups answered from the memo.
    pub hits: u64,
    /// Times the memo was emptied because it was full.
    pub clears: u64,
    /// Times it switched itself off for a while after a poor hit rate.
    pub pauses: u64,
}

/// What the memo knows for one key.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    key: Box<[u8]>,
    /// Memoised and guarded rules that match, ascending.
    pub matched: Box<[u32]>,
    /// Guarded rules the key leaves undecided, by index in
    /// [`MemoPlan::guarded`], with their decided detections' verdicts.
    pub run: Box<[(u32, u64)]>,
    /// Another key with the same hash.
    next: Option<Box<Entry>>,
}

/// The per-engine memo: key → [`Entry`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    on: bool,
    hasher: FastState,
    map: FastMap<u64, Entry>,
    len: usize,
    /// The last lookup's hash.
    hash: u64,
    key: Vec<u8>,
    window_lookups: u32,
    window_hits: u32,
    /// Events left before the memo is tried again.
    paused: u32,
    stats: MemoStats,
}

impl Memo {
    pub(crate) fn new(plan: &MemoPlan, on: bool) -> Self {
        Self {
            on: on && plan.useful(),
            ..Self::default()
        }
    }

    pub(crate) const fn stats(&self) -> MemoStats {
        self.stats
    }

    /// Whether to use the memo for this event; counts a pause down, and at
    /// the end of a window with a poor hit rate empties the memo and pauses.
    #[inline]
    pub(crate) fn active(&mut self) -> bool {
        if !self.on {
            return false;
        }
        if self.paused > 0 {
            self.paused -= 1;
            return false;
        }
        if self.window_lookups >= WINDOW {
            let poor = self.window_hits < self.window_lookups / 4;
            self.window_lookups = 0;
            self.window_hits = 0;
            if poor {
                self.map = FastMap::default();
                self.len = 0;
                self.paused = PAUSE;
                self.stats.pauses += 1;
                return false;
            }
        }
        true
    }

    /// The entry for `event`'s key; on a miss the caller works it out and
    /// calls [`Memo::store`].
    pub(crate) fn lookup(&mut self, plan: &MemoPlan, event: &AccessEvent) -> Option<&Entry> {
        // The key is written out once, then hashed and compared as bytes.
        self.key.clear();
        plan.encode(event, &mut self.key);
        self.hash = self.hasher.hash_one(self.key.as_slice());
        self.stats.lookups += 1;
        self.window_lookups += 1;
        let mut candidate = self.map.get(&self.hash);
        while let Some(entry) = candidate {
            if *entry.key == *self.key {
                self.stats.hits += 1;
                self.window_hits += 1;
                return Some(entry);
            }
            candidate = entry.next.as_deref();
        }
        None
    }

    /// Records what the last lookup's event gives (its key is the one that
    /// lookup wrote).
    pub(crate) fn store(&mut self, matched: &[u32], run: &[(u32, u64)]) {
        if self.key.len() > MAX_KEY {
            return;
        }
        if self.len >= CAPACITY {
            self.map.clear();
            self.len = 0;
            self.stats.clears += 1;
        }
        let entry = Entry {
            key: self.key.as_slice().into(),
            matched: matched.into(),
            run: run.into(),
            next: None,
        };
        match self.map.entry(self.hash) {
            Slot::Vacant(slot) => {
                slot.insert(entry);
            }
            Slot::Occupied(slot) => {
                let head = slot.into_mut();
                let older = std::mem::replace(head, entry);
                head.next = Some(Box::new(older));
            }
        }
        self.len += 1;
    }
}

#[cfg(test)]
mod tests {
    use steward_model::event::{AccessEvent, Outcome, PrincipalKind};

    use super::*;
    use crate::{RuleSet, RuleSetBuilder};

    /// What a rule reads, over all its detections; `None` when one reads
    /// something the key cannot hold.
    fn reads(rule: &CompiledRule) -> Option<Vec<(Field, Read)>> {
        let mut out = Vec::new();
        for d in rule.detections.values() {
            out.extend(detection_fields(d)?);
        }
        normalise(&mut out);
        Some(out)
    }

    fn memoisable(reads: &[(Field, Read)]) -> bool {
        decidable(reads)
    }

    fn rule_set(yaml: &str) -> RuleSet {
        let loaded = RuleSetBuilder::new().yaml("t.yml", yaml).build();
        assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
        loaded.rules
    }

    fn rule(id: &str, detection: &str) -> String {
        format!(
            "title: {id}\nid: {id}\nlogsource: {{product: steward}}\n\
             detection:\n{detection}\nlevel: low\n"
        )
    }

    /// What the one rule with `detection` reads.
    fn reads_of(detection: &str) -> Option<Vec<(Field, Read)>> {
        let set = rule_set(&rule("t", detection));
        assert_eq!(set.compiled().len(), 1);
        reads(&set.compiled()[0])
    }

    fn memoisable_with(detection: &str) -> bool {
        reads_of(detection).is_some_and(|r| memoisable(&r))
    }

    #[test]
    fn value_reads_of_low_cardinality_fields_are_memoisable() {
        let d = "  sel:\n    endpoint|startswith: /api/v1/members/\n    outcome: success\n  \
                 home:\n    source.country: KR\n  condition: sel and not home";
        assert_eq!(
            reads_of(d),
            Some(vec![
                (Field::SourceCountry, Read::Value),
                (Field::Endpoint, Read::Value),
                (Field::Outcome, Read::Value),
            ])
        );
        assert!(memoisable_with(d));
        assert!(memoisable_with(
            "  sel:\n    record_types: address_book\n    status|gte: 400\n    \
             method|re: '^(GET|HEAD)$'\n    credential.key_id: [member-2017, legacy-2015]\n  \
             condition: sel"
        ));
    }

    #[test]
    fn exists_only_reads_of_any_field_are_booleans() {
        let d = "  sel:\n    subjects|exists: true\n    principal.kind: customer\n  condition: sel";
        assert_eq!(
            reads_of(d),
            Some(vec![
                (Field::PrincipalKind, Read::Value),
                (Field::Subjects, Read::Exists)
            ])
        );
        assert!(memoisable_with(d));
        // The value of a high-cardinality field is not.
        assert!(!memoisable_with(
            "  sel:\n    subjects: '42'\n  condition: sel"
        ));
        assert!(!memoisable_with(
            "  sel:\n    principal.id|startswith: svc-\n  condition: sel"
        ));
        assert!(!memoisable_with(
            "  sel:\n    source.ip|cidr: 10.0.0.0/8\n  condition: sel"
        ));
        // A value read wins over an existence check of the same field.
        assert_eq!(
            reads_of(
                "  a:\n    credential.api_key_id|exists: true\n  \
                 b:\n    credential.api_key_id: pk-1\n  condition: a or b"
            ),
            Some(vec![(Field::ApiKeyId, Read::Value)])
        );
    }

    #[test]
    fn fieldref_time_parts_keywords_and_unknown_fields_are_not() {
        // `fieldref` reads a second field.
        assert_eq!(
            reads_of(
                "  sel:\n    endpoint|startswith: /api/\n  own:\n    subjects|fieldref: principal.id\n  \
                 condition: sel and not own"
            ),
            None
        );
        // `time|hour` reads the time, which is unique per event.
        let hour = "  sel:\n    endpoint|startswith: /internal/cs/\n    time|hour: [9, 10, 11]\n  \
                    condition: sel";
        assert_eq!(
            reads_of(hour),
            Some(vec![
                (Field::Time, Read::Value),
                (Field::Endpoint, Read::Value)
            ])
        );
        assert!(!memoisable_with(hour));
        // Keywords search every field.
        assert_eq!(reads_of("  kw:\n    - admin\n  condition: kw"), None);
        assert_eq!(
            reads_of("  sel:\n    outcome: success\n  kw:\n    - admin\n  condition: sel and kw"),
            None
        );
        // A field steward's events do not have (a warning, not an error).
        assert_eq!(reads_of("  sel:\n    user.name: x\n  condition: sel"), None);
    }

    #[test]
    fn plan_splits_rules_and_follows_filters() {
        let yaml = [
            rule("a", "  sel:\n    outcome: denied\n  condition: sel"),
            rule(
                "b",
                "  sel:\n    subjects|fieldref: principal.id\n  condition: sel",
            ),
            rule(
                "c",
                "  sel:\n    endpoint|endswith: /login\n  condition: sel",
            ),
            rule("d", "  sel:\n    subjects|exists: true\n  condition: sel"),
            // A filter on `c` that reads a principal id: `c` is guarded.
            "title: f\nlogsource: {product: steward}\nfilter:\n  rules: [c]\n  \
             sel:\n    principal.id: svc-batch\n  condition: not sel\n"
                .to_owned(),
        ]
        .join("---\n");
        let set = rule_set(&yaml);
        let plan = &set.memo;
        assert_eq!(plan.memo, [0, 3]);
        assert_eq!(plan.other, [1]);
        assert_eq!(probes(plan), [(2, vec![("sel", true)])]);
        assert_eq!(
            plan.key,
            [
                (Field::Endpoint, Read::Value),
                (Field::Subjects, Read::Exists),
                (Field::Outcome, Read::Value)
            ]
        );
        let ids: Vec<&str> = set.memoised().map(|r| &*r.id).collect();
        assert_eq!(ids, ["a", "d"]);
    }

    /// Per guarded rule: its probed detections, and whether exactly.
    fn probes(plan: &MemoPlan) -> Vec<(u32, Vec<(&str, bool)>)> {
        plan.guarded
            .iter()
            .map(|g| {
                let probed = g
                    .probes
                    .iter()
                    .map(|(d, exact)| (g.detections[*d].0.as_str(), *exact))
                    .collect();
                (g.rule, probed)
            })
            .collect()
    }

    /// Each guarded rule's verdict from the key alone, checked against
    /// rsigma-eval's verdict on the whole rule.
    fn guard_verdicts(set: &RuleSet, e: &AccessEvent) -> Vec<Option<bool>> {
        let view = AccessEventView::new(e);
        set.memo
            .guarded
            .iter()
            .map(|g| {
                let rule = &set.compiled()[g.rule as usize];
                let mut selections = Vec::new();
                let (verdict, bits) = g.decide(&view, &mut selections);
                // Finishing with the other detections gives rsigma-eval's
                // verdict, and agrees with the partial one.
                let whole = crate::engine::matches(rule, &view, &mut selections);
                assert_eq!(g.finish(rule, bits, &view, &mut selections), Some(whole));
                assert!(verdict.is_none_or(|v| v == whole));
                verdict
            })
            .collect()
    }

    #[test]
    fn guards_decide_what_the_key_can() {
        let two = |condition: &str| {
            format!(
                "  sel_kind:\n    principal.kind: customer\n  \
                 sel_own:\n    subjects|fieldref: principal.id\n  condition: {condition}"
            )
        };
        let yaml = [
            rule("and-not", &two("sel_kind and not sel_own")),
            rule("or", &two("sel_kind or sel_own")),
            rule("not-or", &two("not sel_kind or sel_own")),
            rule("one-of", &two("1 of sel_*")),
            rule("all-of", &two("all of sel_*")),
            rule("two-of", &two("2 of them")),
        ]
        .join("---\n");
        let set = rule_set(&yaml);
        let plan = &set.memo;
        assert_eq!(plan.guarded.len(), 6);
        assert_eq!(plan.key, [(Field::PrincipalKind, Read::Value)]);
        let verdicts = |e: &AccessEvent| guard_verdicts(&set, e);
        let mut e = AccessEvent::default();
        e.principal.kind = PrincipalKind::Customer;
        let (t, f) = (Some(true), Some(false));
        assert_eq!(verdicts(&e), [None, t, None, t, None, None]);
        e.principal.kind = PrincipalKind::Staff;
        assert_eq!(verdicts(&e), [f, None, t, None, f, f]);
    }

    #[test]
    fn probes_decide_detections_when_their_decided_items_fail() {
        let yaml = [
            // The support console rule's shape: decided items and a time part.
            rule(
                "hours",
                "  sel:\n    principal.kind: staff\n    endpoint|startswith: /internal/cs/\n    \
                 time|hour: [9, 10, 11]\n  condition: sel",
            ),
            // A list of maps: each alternative needs a decided item.
            rule(
                "any",
                "  sel:\n    - principal.kind: staff\n      subjects|fieldref: principal.id\n    \
                 - endpoint|startswith: /internal/\n      time|hour: 3\n  condition: sel",
            ),
            rule(
                "none",
                "  sel:\n    - principal.kind: staff\n      time|hour: 3\n    \
                 - subjects|fieldref: principal.id\n  condition: sel",
            ),
            // `not` of an inexact probe stays open.
            rule(
                "not",
                "  sel:\n    principal.kind: staff\n    time|hour: 3\n  condition: not sel",
            ),
        ]
        .join("---\n");
        let set = rule_set(&yaml);
        assert_eq!(
            probes(&set.memo),
            [
                (0, vec![("sel", false)]),
                (1, vec![("sel", false)]),
                (3, vec![("sel", false)])
            ]
        );
        assert_eq!(set.memo.other, [2]);
        assert_eq!(
            set.memo.key,
            [
                (Field::PrincipalKind, Read::Value),
                (Field::Endpoint, Read::Value)
            ]
        );
        let mut e = AccessEvent {
            time_ms: 1_744_600_000_000,
            endpoint: "/internal/cs/members/{id}".into(),
            ..AccessEvent::default()
        };
        e.principal.kind = PrincipalKind::Customer;
        e.principal.id = "7".into();
        e.subjects = vec!["7".into()];
        let (t, f) = (Some(true), Some(false));
        assert_eq!(guard_verdicts(&set, &e), [f, None, t]);
        e.endpoint = "/api/v1/members/{id}/profile".into();
        assert_eq!(guard_verdicts(&set, &e), [f, f, t]);
        e.principal.kind = PrincipalKind::Staff;
        assert_eq!(guard_verdicts(&set, &e), [f, None, None]);
        e.endpoint = "/internal/cs/members/{id}".into();
        assert_eq!(guard_verdicts(&set, &e), [None, None, None]);
    }

    #[test]
    fn keys_hold_exactly_the_fields_read() {
        let plan = MemoPlan {
            memo: vec![0],
            guarded: Vec::new(),
            other: Vec::new(),
            key: vec![
                (Field::PrincipalKind, Read::Value),
                (Field::Subjects, Read::Exists),
                (Field::RecordTypes, Read::Value),
                (Field::Status, Read::Value),
            ],
        };
        let key = |e: &AccessEvent| {
            let mut out = Vec::new();
            plan.encode(e, &mut out);
            out
        };
        let base = AccessEvent {
            principal: steward_model::event::Principal {
                id: "1042".into(),
                kind: PrincipalKind::Customer,
            },
            subjects: vec!["1042".into()],
            record_types: vec!["ab".into()],
            status: Some(200),
            outcome: Outcome::Success,
            ..AccessEvent::default()
        };
        let mut other = base.clone();
        // Fields outside the key, and the value of an exists-only field,
        // do not change it.
        other.principal.id = "7".into();
        other.subjects = vec!["7".into(), "8".into()];
        other.outcome = Outcome::Denied;
        assert_eq!(key(&base), key(&other));
        // Presence does.
        other.subjects.clear();
        assert_ne!(key(&base), key(&other));
        // Lists are length-delimited: [a, b] is not [ab].
        let mut split = base.clone();
        split.record_types = vec!["a".into(), "b".into()];
        assert_ne!(key(&base), key(&split));
        // Absent differs from every value.
        let mut absent = base.clone();
        absent.status = None;
        assert_ne!(key(&base), key(&absent));
        let mut kind = base;
        kind.principal.kind = PrincipalKind::Staff;
        assert_ne!(key(&kind), key(&absent));
    }

    #[test]
    fn the_shipped_pack() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let loaded = RuleSet::load([dir]);
        assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
        let set = loaded.rules;
        let plan = &set.memo;
        assert_eq!(plan.memo.len(), 9);
        assert!(plan.other.is_empty());
        let title = |i: u32| &*set.rules[i as usize].title;
        let guarded: Vec<(&str, Vec<(&str, bool)>)> = probes(plan)
            .into_iter()
            .map(|(rule, probed)| (title(rule), probed))
            .collect();
        assert_eq!(
            guarded,
            [
                (
                    "Customer token reads another member's record",
                    vec![("selection", true)]
                ),
                (
                    "Support console read outside business hours",
                    vec![("selection", false)]
                ),
            ]
        );
        use Read::{Exists, Value};
        assert_eq!(
            plan.key,
            [
                (Field::PrincipalKind, Value),
                (Field::KeyId, Value),
                (Field::ApiKeyId, Exists),
                (Field::SourceCountry, Value),
                (Field::Endpoint, Value),
                (Field::Subjects, Exists),
                (Field::RecordTypes, Value),
                (Field::Outcome, Value),
            ]
        );
    }
}
