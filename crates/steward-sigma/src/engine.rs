//! [`SigmaEngine`]: detection rules matched event by event, correlations
//! applied in event-time order behind a watermark.
//!
//! An event's detection matches are reported at once. Its correlation hits
//! (the rules it matched that correlations read, with the fields they need)
//! wait in a buffer until the watermark (newest event time minus the allowed
//! lateness) passes them, and are then applied in `(event time, event id)`
//! order, so events that arrive out of order within the allowed lateness
//! give the same matches as sorted input. Hits older than the watermark are
//! late: counted and left out of correlations.

use std::sync::Arc;

use compact_str::CompactString;
use rsigma_eval::CompiledRule;
use rsigma_eval::compiler::eval_condition;
use rsigma_parser::ConditionExpr;
use steward_model::event::AccessEvent;

use crate::error::StateError;
use crate::event::AccessEventView;
use crate::fields::{Field, OwnedValue, Value};
use crate::matches::{CorrelationDetail, SigmaMatch};
use crate::memo::{Memo, MemoPlan, MemoStats};
use crate::ruleset::{Correlation, Resolved, RuleSet, Source, has_bit, set_bit};
use crate::state::hash::{hash_parts, hash64};
use crate::state::{Agg, Caps, CorrelationState, Counters, Group, Pending, Samples, SigmaState};

/// Separates group-by values in a group key.
const SEP: char = '\u{1f}';

/// How the engine treats time and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EngineConfig {
    /// How far behind the newest event time an event may arrive and still
    /// count in correlations, milliseconds. 0 (the default) for input sorted
    /// by time; a live stream merged from several sources wants more.
    pub allowed_lateness_ms: i64,
    /// Memory caps.
    pub caps: Caps,
}

/// Evaluates a [`RuleSet`] over access events.
///
/// ```
/// use std::sync::Arc;
/// use steward_model::event::AccessEvent;
/// use steward_sigma::{EngineConfig, RuleSetBuilder, SigmaEngine};
///
/// let rules = "title: Reads\nname: reads\nlogsource: {product: steward}\n\
///     detection:\n  sel:\n    endpoint|startswith: /api/v1/members/\n  condition: sel\n\
///     ---\n\
///     title: Many members per principal\nid: 0b0f3c3e-5b8e-4d55-8a0b-7c1c2f7d9e01\n\
///     correlation:\n  type: value_count\n  rules: [reads]\n  group-by: [principal.id]\n\
///     \x20 timespan: 1h\n  condition: {gte: 3, field: subjects}\nlevel: high\n";
/// let loaded = RuleSetBuilder::new().yaml("pack.yml", rules).build();
/// assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
/// let mut engine = SigmaEngine::new(Arc::new(loaded.rules), EngineConfig::default());
/// let mut out = Vec::new();
/// for (i, member) in ["1", "2", "2", "3"].iter().enumerate() {
///     let event = AccessEvent {
///         time_ms: 1_000 * i as i64,
///         event_id: format!("r{i}"),
///         endpoint: "/api/v1/members/{id}/profile".into(),
///         subjects: vec![member.to_string()],
///         principal: steward_model::event::Principal { id: "p".into(), ..Default::default() },
///         ..AccessEvent::default()
///     };
///     engine.process(&event, &mut out);
/// }
/// engine.finish(&mut out);
/// assert_eq!(out.len(), 1);
/// assert_eq!(out[0].group_value("principal.id"), Some("p"));
/// assert_eq!(out[0].time_ms, 3_000);
/// ```
#[derive(Clone)]
pub struct SigmaEngine {
    rules: Arc<RuleSet>,
    config: EngineConfig,
    state: SigmaState,
    scratch: Scratch,
    /// A cache of detection results, not state: never serialised.
    memo: Memo,
}

impl std::fmt::Debug for SigmaEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigmaEngine")
            .field("rules", &self.rules)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[derive(Default, Clone)]
struct Scratch {
    matched: Vec<u32>,
    selections: Vec<String>,
    text: String,
    /// Group keys of the hit inputs of one correlation: (input, key).
    keys: Vec<(usize, String)>,
    used: usize,
    /// Correlations that fired in this step, with their key parts.
    fired: Vec<(usize, Vec<String>)>,
    hashes: Vec<u64>,
    inputs: Vec<usize>,
    /// Guarded rules the detection memo leaves undecided for this event.
    run: Vec<(u32, u64)>,
    /// The rules this event matched, one bit per rule, for the
    /// correlation inputs' checks.
    bits: Vec<u64>,
}

impl SigmaEngine {
    /// An engine with empty state.
    #[must_use]
    pub fn new(rules: Arc<RuleSet>, config: EngineConfig) -> Self {
        let mut state = SigmaState::new(&rules.correlations);
        state.layout = layout(&rules);
        let memo = Memo::new(&rules.memo, true);
        Self {
            rules,
            config,
            state,
            scratch: Scratch::default(),
            memo,
        }
    }

    /// An engine that carries on from a checkpoint. Correlations matched by
    /// id; state of correlations no longer loaded is dropped.
    ///
    /// # Errors
    /// [`StateError`] when the state's version differs, its contents
    /// contradict the correlations, or it holds pending hits captured under a
    /// different rule set.
    pub fn restore(
        rules: Arc<RuleSet>,
        config: EngineConfig,
        state: SigmaState,
    ) -> Result<Self, StateError> {
        let current = layout(&rules);
        if !state.pending.is_empty() && state.layout != current {
            return Err(StateError::Inconsistent("pending hits".to_owned()));
        }
        let mut state = state.realign(&rules.correlations, rules.slots.len(), rules.rules.len())?;
        state.layout = current;
        let memo = Memo::new(&rules.memo, true);
        Ok(Self {
            rules,
            config,
            state,
            scratch: Scratch::default(),
            memo,
        })
    }

    /// The state, to checkpoint (it is `serde` serialisable).
    #[must_use]
    pub const fn state(&self) -> &SigmaState {
        &self.state
    }

    /// Counters so far.
    #[must_use]
    pub const fn counters(&self) -> &Counters {
        &self.state.counters
    }

    /// The rules.
    #[must_use]
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Turns the detection memo on (the default) or off, emptying it. The
    /// memo changes no result, only the cost: it remembers, per combination
    /// of the low-cardinality fields the rules read, which of them matched
    /// (all of [`RuleSet::memoised`]; others as far as those fields decide
    /// them). Off is for measuring it.
    pub fn set_memo(&mut self, on: bool) {
        self.memo = Memo::new(&self.rules.memo, on);
    }

    /// How the detection memo has done since the engine was made, restored
    /// or [`set_memo`](Self::set_memo) was called.
    #[must_use]
    pub const fn memo_stats(&self) -> MemoStats {
        self.memo.stats()
    }

    /// Evaluates one event; matches are appended to `out`.
    pub fn process(&mut self, event: &AccessEvent, out: &mut Vec<SigmaMatch>) {
        let rules = &*self.rules;
        let state = &mut self.state;
        let scratch = &mut self.scratch;
        state.counters.events += 1;
        let view = AccessEventView::new(event);
        detect(rules, &mut self.memo, &view, scratch);
        let mut feeds = false;
        for &i in &scratch.matched {
            let i = i as usize;
            feeds |= rules.referenced.get(i).copied().unwrap_or(false);
            if let Some(info) = rules.rules.get(i).filter(|r| r.reported) {
                state.counters.detections += 1;
                out.push(SigmaMatch {
                    rule_id: Arc::clone(&info.id),
                    title: Arc::clone(&info.title),
                    level: info.level,
                    time_ms: event.time_ms,
                    group: Vec::new(),
                    event_ids: vec![event.event_id.clone()],
                    correlation: None,
                });
            }
        }
        let t = event.time_ms;
        let late = state.watermark_ms.is_some_and(|w| t < w);
        let max = state.max_time_ms.map_or(t, |m| m.max(t));
        state.max_time_ms = Some(max);
        let watermark = max.saturating_sub(self.config.allowed_lateness_ms.max(0));
        state.watermark_ms = Some(state.watermark_ms.map_or(watermark, |w| w.max(watermark)));
        if feeds {
            if late {
                state.counters.late_events += 1;
            } else if state.pending.is_empty() && t <= watermark {
                let mut bits = std::mem::take(&mut scratch.bits);
                bits.clear();
                bits.resize(rules.rules.len().div_ceil(64), 0);
                for &r in &scratch.matched {
                    set_bit(&mut bits, r as usize);
                }
                let hit = LiveHit {
                    view: &view,
                    bits: &bits,
                    slots: &rules.slots,
                };
                apply(rules, state, &self.config.caps, scratch, &hit, out);
                scratch.bits = bits;
            } else {
                state.seq += 1;
                state.pending.push(Pending {
                    time_ms: t,
                    event_id: event.event_id.clone(),
                    seq: state.seq,
                    rules: scratch
                        .matched
                        .iter()
                        .copied()
                        .filter(|i| rules.referenced.get(*i as usize).copied().unwrap_or(false))
                        .collect(),
                    values: rules
                        .slots
                        .iter()
                        .map(|f| view.value(*f).map(|v| OwnedValue::capture(&v)))
                        .collect(),
                });
            }
        }
        self.drain(Some(watermark), out);
    }

    /// Declares that event time has reached `time_ms` although no event says
    /// so (an idle stream), releasing held hits the watermark now passes.
    pub fn advance_time(&mut self, time_ms: i64, out: &mut Vec<SigmaMatch>) {
        let max = self.state.max_time_ms.map_or(time_ms, |m| m.max(time_ms));
        self.state.max_time_ms = Some(max);
        let watermark = max.saturating_sub(self.config.allowed_lateness_ms.max(0));
        self.state.watermark_ms = Some(
            self.state
                .watermark_ms
                .map_or(watermark, |w| w.max(watermark)),
        );
        self.drain(Some(watermark), out);
    }

    /// End of input: applies every held hit.
    pub fn finish(&mut self, out: &mut Vec<SigmaMatch>) {
        self.drain(None, out);
    }

    fn drain(&mut self, until: Option<i64>, out: &mut Vec<SigmaMatch>) {
        let rules = &*self.rules;
        while self
            .state
            .pending
            .peek()
            .is_some_and(|p| until.is_none_or(|w| p.time_ms <= w))
        {
            let Some(hit) = self.state.pending.pop() else {
                break;
            };
            apply(
                rules,
                &mut self.state,
                &self.config.caps,
                &mut self.scratch,
                &hit,
                out,
            );
        }
    }
}

fn layout(rules: &RuleSet) -> Vec<String> {
    rules
        .rules
        .iter()
        .map(|r| r.id.to_string())
        .chain(rules.slots.iter().map(|f| format!("field:{}", f.name())))
        .collect()
}

/// Fills `scratch.matched` with the detection rules `view` matches, in
/// ascending order. With the memo on, the rules it answers for are taken
/// from it when it knows the event's key, and rsigma-eval runs for the rest.
fn detect(rules: &RuleSet, memo: &mut Memo, view: &AccessEventView<'_>, scratch: &mut Scratch) {
    let compiled = rules.compiled();
    let matched = &mut scratch.matched;
    let selections = &mut scratch.selections;
    matched.clear();
    if !memo.active() {
        for (i, rule) in compiled.iter().enumerate() {
            if matches(rule, view, selections) {
                matched.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        return;
    }
    let plan = &rules.memo;
    if let Some(entry) = memo.lookup(plan, view.event()) {
        matched.extend_from_slice(&entry.matched);
        finish_guarded(compiled, plan, &entry.run, view, selections, matched);
    } else {
        let run = &mut scratch.run;
        run.clear();
        evaluate(compiled, &plan.memo, view, selections, matched);
        for (g, guard) in plan.guarded.iter().enumerate() {
            if compiled.get(guard.rule as usize).is_none() {
                continue;
            }
            match guard.decide(view, selections) {
                (Some(true), _) => matched.push(guard.rule),
                (Some(false), _) => {}
                (None, bits) => run.push((u32::try_from(g).unwrap_or(u32::MAX), bits)),
            }
        }
        matched.sort_unstable();
        memo.store(matched, run);
        finish_guarded(compiled, plan, run, view, selections, matched);
    }
    evaluate(compiled, &plan.other, view, selections, matched);
    matched.sort_unstable();
}

/// Appends the guarded rules of `run` (undecided by the memo's key) that
/// match `view` to `matched`.
fn finish_guarded(
    compiled: &[CompiledRule],
    plan: &MemoPlan,
    run: &[(u32, u64)],
    view: &AccessEventView<'_>,
    selections: &mut Vec<String>,
    matched: &mut Vec<u32>,
) {
    for &(g, bits) in run {
        let Some(guard) = plan.guarded.get(g as usize) else {
            continue;
        };
        let Some(rule) = compiled.get(guard.rule as usize) else {
            continue;
        };
        let hit = guard
            .finish(rule, bits, view, selections)
            .unwrap_or_else(|| matches(rule, view, selections));
        if hit {
            matched.push(guard.rule);
        }
    }
}

/// Appends the rules of `list` that match `view` to `matched`.
fn evaluate(
    compiled: &[CompiledRule],
    list: &[u32],
    view: &AccessEventView<'_>,
    selections: &mut Vec<String>,
    matched: &mut Vec<u32>,
) {
    for &i in list {
        if compiled
            .get(i as usize)
            .is_some_and(|rule| matches(rule, view, selections))
        {
            matched.push(i);
        }
    }
}

/// Whether a compiled rule matches (any of its conditions).
pub(crate) fn matches(
    rule: &CompiledRule,
    view: &AccessEventView<'_>,
    selections: &mut Vec<String>,
) -> bool {
    rule.conditions.iter().any(|c| {
        selections.clear();
        eval_condition(c, &rule.detections, view, selections)
    })
}

/// A correlation hit: what an event contributes to correlations.
trait Hit {
    fn time_ms(&self) -> i64;
    fn event_id(&self) -> &str;
    fn matched(&self, rule: usize) -> bool;
    /// Whether the event matched any rule of `mask` (one bit per rule).
    fn any(&self, mask: &[u64]) -> bool;
    fn value(&self, slot: usize) -> Option<Value<'_>>;
}

struct LiveHit<'a> {
    view: &'a AccessEventView<'a>,
    /// Bit `r` set when the event matched rule `r`.
    bits: &'a [u64],
    slots: &'a [Field],
}

impl Hit for LiveHit<'_> {
    fn time_ms(&self) -> i64 {
        self.view.event().time_ms
    }
    fn event_id(&self) -> &str {
        &self.view.event().event_id
    }
    fn matched(&self, rule: usize) -> bool {
        has_bit(self.bits, rule)
    }
    fn any(&self, mask: &[u64]) -> bool {
        self.bits.iter().zip(mask).any(|(b, m)| b & m != 0)
    }
    fn value(&self, slot: usize) -> Option<Value<'_>> {
        self.slots.get(slot).and_then(|f| self.view.value(*f))
    }
}

impl Hit for Pending {
    fn time_ms(&self) -> i64 {
        self.time_ms
    }
    fn event_id(&self) -> &str {
        &self.event_id
    }
    fn matched(&self, rule: usize) -> bool {
        u32::try_from(rule).is_ok_and(|r| self.rules.binary_search(&r).is_ok())
    }
    fn any(&self, mask: &[u64]) -> bool {
        self.rules.iter().any(|&r| has_bit(mask, r as usize))
    }
    fn value(&self, slot: usize) -> Option<Value<'_>> {
        self.values
            .get(slot)
            .and_then(Option::as_ref)
            .map(OwnedValue::borrow)
    }
}

/// Applies one hit to every correlation, in dependency order.
fn apply<H: Hit>(
    rules: &RuleSet,
    state: &mut SigmaState,
    caps: &Caps,
    scratch: &mut Scratch,
    hit: &H,
    out: &mut Vec<SigmaMatch>,
) {
    let t = hit.time_ms();
    scratch.fired.clear();
    for (ci, corr) in rules.correlations.iter().enumerate() {
        if !corr.chained && !hit.any(&corr.reads) {
            continue;
        }
        scratch.used = 0;
        for (ii, input) in corr.inputs.iter().enumerate() {
            let parts = match input.source {
                Source::Rule(r) if hit.matched(r) => None,
                Source::Rule(_) => continue,
                Source::Correlation(c) => match scratch.fired.iter().find(|(f, _)| *f == c) {
                    Some((_, parts)) => Some(parts.as_slice()),
                    None => continue,
                },
            };
            if scratch.used == scratch.keys.len() {
                scratch.keys.push((0, String::new()));
            }
            let Some((slot_input, key)) = scratch.keys.get_mut(scratch.used) else {
                continue;
            };
            key.clear();
            *slot_input = ii;
            if group_key(&input.keys, hit, parts, key) {
                scratch.used += 1;
            } else {
                state.counters.missing_group_key += 1;
            }
        }
        if scratch.used == 0 {
            continue;
        }
        let Some(cstate) = state.correlations.get_mut(ci) else {
            continue;
        };
        if t >= cstate.next_sweep_ms {
            state.counters.groups_evicted += cstate.sweep(t, corr.span_ms, caps.groups);
        }
        // Each distinct key once (an event matching several rules counts
        // once), with every input that produced it. The key buffers are
        // taken out of the scratch space while `update` borrows the rest.
        let keys = std::mem::take(&mut scratch.keys);
        let mut inputs = std::mem::take(&mut scratch.inputs);
        let used = keys.get(..scratch.used).unwrap_or(&[]);
        for (k, (first_input, key)) in used.iter().enumerate() {
            if used.iter().take(k).any(|(_, earlier)| earlier == key) {
                continue;
            }
            inputs.clear();
            inputs.extend(
                used.iter()
                    .filter(|(_, other)| other == key)
                    .map(|(i, _)| *i),
            );
            let step = Step {
                corr,
                caps,
                time: t,
                inputs: &inputs,
                first_input: *first_input,
            };
            if let Some(fired) = update(step, cstate, key, hit, scratch, &mut state.counters) {
                if corr.info.reported {
                    state.counters.correlations += 1;
                    out.push(fired);
                }
                let parts = if corr.group_by.is_empty() {
                    Vec::new()
                } else {
                    key.split(SEP).map(str::to_owned).collect()
                };
                scratch.fired.push((ci, parts));
            }
        }
        scratch.keys = keys;
        scratch.inputs = inputs;
    }
}

/// Writes an input's group key; false when a value is missing.
fn group_key<H: Hit>(
    keys: &[Resolved],
    hit: &H,
    parts: Option<&[String]>,
    out: &mut String,
) -> bool {
    for (i, resolved) in keys.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        match resolved {
            Resolved::Slot(s) => match hit.value(*s) {
                Some(v) => v.write_text(out),
                None => return false,
            },
            Resolved::Key(p) => match parts.and_then(|parts| parts.get(*p)) {
                Some(v) => out.push_str(v),
                None => return false,
            },
            Resolved::Missing => return false,
        }
    }
    true
}

struct Step<'a> {
    corr: &'a Correlation,
    caps: &'a Caps,
    time: i64,
    inputs: &'a [usize],
    first_input: usize,
}

/// Updates one group; returns the match when its condition starts to hold.
fn update<H: Hit>(
    step: Step<'_>,
    cstate: &mut CorrelationState,
    key: &str,
    hit: &H,
    scratch: &mut Scratch,
    counters: &mut Counters,
) -> Option<SigmaMatch> {
    let Step {
        corr,
        caps,
        time: t,
        inputs,
        first_input,
    } = step;
    let span = corr.span_ms;
    let cutoff = t.saturating_sub(span);
    // The value(s) the input contributes, before touching state.
    let input = corr.inputs.get(first_input)?;
    let fired_parts = match input.source {
        Source::Correlation(c) => scratch
            .fired
            .iter()
            .find(|(f, _)| *f == c)
            .map(|(_, p)| p.clone()),
        Source::Rule(_) => None,
    };
    let read = |r: &Resolved| -> Option<Value<'_>> {
        match r {
            Resolved::Slot(s) => hit.value(*s),
            Resolved::Key(p) => fired_parts
                .as_ref()
                .and_then(|parts| parts.get(*p))
                .map(|s| Value::Str(s.as_str())),
            Resolved::Missing => None,
        }
    };
    let number = || -> Option<f64> { input.values.first().and_then(&read)?.number() };
    scratch.hashes.clear();
    let needs_number = matches!(
        corr.kind,
        crate::CorrelationKind::ValueSum
            | crate::CorrelationKind::ValueAvg
            | crate::CorrelationKind::ValuePercentile
            | crate::CorrelationKind::ValueMedian
    );
    let num = if needs_number {
        let n = number();
        if n.is_none() {
            counters.missing_value += 1;
            return None;
        }
        n
    } else {
        None
    };
    if corr.kind == crate::CorrelationKind::ValueCount
        && !distinct_hashes(&input.values, &read, &mut scratch.text, &mut scratch.hashes)
    {
        counters.missing_value += 1;
        return None;
    }

    // One lookup when the group exists (most events).
    let group = match cstate.groups.get_mut(key) {
        Some(group) => group,
        None => {
            if cstate.groups.len() >= caps.groups {
                counters.groups_evicted += cstate.sweep(t, span, caps.groups.saturating_sub(1));
            }
            cstate.groups.insert(
                CompactString::from(key),
                Group {
                    agg: Agg::new(corr),
                    last_ms: t,
                    held_ms: None,
                    samples: Samples::default(),
                },
            );
            cstate.groups.get_mut(key)?
        }
    };
    let value: Option<f64> = match &mut group.agg {
        Agg::Count(runs) => {
            runs.insert(t, 1.0, cutoff, span, caps.window_entries);
            Some(runs.count() as f64)
        }
        Agg::Sum(runs) => {
            runs.insert(t, num.unwrap_or(0.0), cutoff, span, caps.window_entries);
            if corr.kind == crate::CorrelationKind::ValueAvg {
                (runs.count() > 0).then(|| runs.sum() / runs.count() as f64)
            } else {
                Some(runs.sum())
            }
        }
        Agg::Distinct(d) => {
            for h in &scratch.hashes {
                d.insert(t, *h, cutoff, span, caps.distinct_exact);
            }
            Some(d.count())
        }
        Agg::Values(v) => {
            v.insert(t, num.unwrap_or(0.0), cutoff, caps.percentile_values);
            v.percentile(corr.percentile)
        }
        Agg::Temporal(tm) => {
            for i in inputs {
                tm.record(*i, t);
            }
            match &corr.extended {
                Some(expr) => Some(if eval_temporal(expr, corr, tm, cutoff) {
                    1.0
                } else {
                    0.0
                }),
                None => Some(tm.count(cutoff) as f64),
            }
        }
        Agg::Ordered(o) => {
            let mut sorted = inputs.to_vec();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            for i in sorted {
                o.record(i, t, cutoff);
            }
            Some(if o.complete(cutoff) {
                corr.inputs.len() as f64
            } else {
                0.0
            })
        }
    };
    group.last_ms = group.last_ms.max(t);
    while group.samples.front().is_some_and(|(st, _)| *st < cutoff) {
        group.samples.pop_front();
    }
    if group.samples.len() >= caps.samples.max(1) {
        group.samples.pop_front();
    }
    group
        .samples
        .push_back((t, CompactString::from(hit.event_id())));
    // Reported when the condition starts to hold: at the first hit where it
    // holds after it has not held for a whole timespan (so a value hovering
    // at the threshold is one episode, not a report per crossing).
    let holds = value.is_some_and(|v| corr.holds(v));
    if !holds {
        return None;
    }
    let starts = group.held_ms.is_none_or(|h| t.saturating_sub(h) > span);
    group.held_ms = Some(t);
    if !starts {
        return None;
    }
    let value = value.unwrap_or(0.0);
    let group_pairs = if corr.group_by.is_empty() {
        Vec::new()
    } else {
        corr.group_by
            .iter()
            .cloned()
            .zip(key.split(SEP).map(str::to_owned))
            .collect()
    };
    Some(SigmaMatch {
        rule_id: Arc::clone(&corr.info.id),
        title: Arc::clone(&corr.info.title),
        level: corr.info.level,
        time_ms: t,
        group: group_pairs,
        event_ids: group.samples.iter().map(|(_, id)| id.to_string()).collect(),
        correlation: Some(CorrelationDetail {
            kind: corr.kind,
            value,
            window_start_ms: cutoff,
            approximate: group.agg.is_approximate(),
        }),
    })
}

/// Hashes of the value(s) a `value_count` hit contributes: each element of a
/// list field, or the tuple of several fields. False when one is missing.
fn distinct_hashes<'h>(
    fields: &[Resolved],
    read: &dyn Fn(&Resolved) -> Option<Value<'h>>,
    text: &mut String,
    out: &mut Vec<u64>,
) -> bool {
    match fields {
        [single] => match read(single) {
            Some(Value::List(items)) => {
                out.extend(items.iter().map(|s| hash64(s.as_bytes())));
                true
            }
            Some(v) => {
                text.clear();
                v.write_text(text);
                out.push(hash64(text.as_bytes()));
                true
            }
            None => false,
        },
        many => {
            let mut parts = Vec::with_capacity(many.len());
            for r in many {
                let Some(v) = read(r) else {
                    return false;
                };
                let mut s = String::new();
                v.write_text(&mut s);
                parts.push(s);
            }
            out.push(hash_parts(parts.iter().map(String::as_str)));
            true
        }
    }
}

/// A boolean condition over referenced rule names (SEP #198): a name holds
/// when that rule fired in the window.
fn eval_temporal(
    expr: &ConditionExpr,
    corr: &Correlation,
    tm: &crate::state::temporal::Temporal,
    cutoff: i64,
) -> bool {
    let fired = |name: &str| {
        corr.input_names
            .iter()
            .position(|n| n == name)
            .is_some_and(|i| tm.fired(i, cutoff))
    };
    match expr {
        ConditionExpr::Identifier(name) => fired(name),
        ConditionExpr::And(list) => list.iter().all(|e| eval_temporal(e, corr, tm, cutoff)),
        ConditionExpr::Or(list) => list.iter().any(|e| eval_temporal(e, corr, tm, cutoff)),
        ConditionExpr::Not(inner) => !eval_temporal(inner, corr, tm, cutoff),
        ConditionExpr::Selector {
            quantifier,
            pattern,
        } => {
            let names: Vec<&String> = corr
                .input_names
                .iter()
                .filter(|n| pattern.matches_detection_name(n))
                .collect();
            let hits = names.iter().filter(|n| fired(n)).count();
            match quantifier {
                rsigma_parser::Quantifier::Any => hits >= 1,
                rsigma_parser::Quantifier::All => hits == names.len(),
                rsigma_parser::Quantifier::Count(n) => hits as u64 >= *n,
            }
        }
    }
}
