//! A compiled set of rules: detection rules compiled by rsigma-eval (with
//! filters applied), correlation rules resolved against them and ordered so
//! that a correlation comes after every correlation it reads.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rsigma_eval::{CompiledRule, Engine};
use rsigma_parser::{
    ConditionExpr, ConditionOperator, CorrelationCondition, CorrelationRule, Detection, WindowMode,
};

use crate::error::{Location, RuleError, RuleErrorKind};
use crate::fields::Field;
pub use crate::info::{CorrelationKind, Level, RuleInfo, RuleKind};
use crate::load::{Doc, Item, Reader};
use crate::memo::MemoPlan;

/// A comparison in a correlation condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Predicate {
    op: ConditionOperator,
    value: f64,
}

impl Predicate {
    fn holds(self, x: f64) -> bool {
        match self.op {
            ConditionOperator::Lt => x < self.value,
            ConditionOperator::Lte => x <= self.value,
            ConditionOperator::Gt => x > self.value,
            ConditionOperator::Gte => x >= self.value,
            ConditionOperator::Eq => (x - self.value).abs() < f64::EPSILON,
            ConditionOperator::Neq => (x - self.value).abs() >= f64::EPSILON,
        }
    }
}

/// Where a correlation input's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// An event field, by slot in [`RuleSet::slots`].
    Slot(usize),
    /// A group-by value of the child correlation, by position.
    Key(usize),
    /// Not available for this input (an alias without a mapping for it).
    Missing,
}

/// What a correlation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A detection rule by index.
    Rule(usize),
    /// A correlation by index.
    Correlation(usize),
}

/// One referenced rule of a correlation.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub source: Source,
    /// Per group-by name.
    pub keys: Vec<Resolved>,
    /// Per condition field.
    pub values: Vec<Resolved>,
}

/// A compiled correlation.
#[derive(Debug, Clone)]
pub(crate) struct Correlation {
    pub info: Arc<RuleInfo>,
    pub kind: CorrelationKind,
    pub span_ms: i64,
    pub group_by: Vec<String>,
    pub inputs: Vec<Input>,
    /// Names of the referenced rules, as written, for extended conditions.
    pub input_names: Vec<String>,
    pub predicates: Vec<Predicate>,
    pub percentile: f64,
    pub extended: Option<ConditionExpr>,
    /// The detection rules its inputs read, one bit per rule, so a hit
    /// that matched none of them passes it by with a word test.
    pub reads: Vec<u64>,
    /// Whether an input reads another correlation (then it is looked at
    /// whichever rules the hit matched).
    pub chained: bool,
}

/// Sets bit `i` of a set of rules held one bit per rule.
pub(crate) fn set_bit(words: &mut [u64], i: usize) {
    if let Some(w) = words.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

/// Whether bit `i` of a set of rules held one bit per rule is set.
pub(crate) fn has_bit(words: &[u64], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

impl Correlation {
    pub(crate) fn holds(&self, value: f64) -> bool {
        self.predicates.iter().all(|p| p.holds(value))
    }
}

/// A compiled set of Sigma rules, ready for [`crate::SigmaEngine`].
pub struct RuleSet {
    engine: Engine,
    pub(crate) rules: Vec<Arc<RuleInfo>>,
    /// Per rule: whether a correlation reads it.
    pub(crate) referenced: Vec<bool>,
    pub(crate) correlations: Vec<Correlation>,
    /// Event fields correlations read.
    pub(crate) slots: Vec<Field>,
    /// Which detection rules the engine memoises (see `memo.rs`).
    pub(crate) memo: MemoPlan,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules.len())
            .field("correlations", &self.correlations.len())
            .finish_non_exhaustive()
    }
}

/// A rule set and what loading it reported.
#[derive(Debug)]
pub struct Loaded {
    /// The rules that loaded.
    pub rules: RuleSet,
    /// Rules that did not load (the others did).
    pub errors: Vec<RuleError>,
    /// Remarks about rules that loaded (unknown fields, parser warnings).
    pub warnings: Vec<RuleError>,
}

/// Collects rule files and compiles them.
///
/// ```
/// use steward_sigma::RuleSetBuilder;
///
/// let yaml = "title: Retired key\nid: 6a1f0b52-8f7e-4c55-9d0e-2b8f6f1c0a01\n\
///             logsource: {product: steward, category: access}\n\
///             detection:\n  sel:\n    credential.key_id: member-2017\n  condition: sel\n\
///             level: high\n";
/// let loaded = RuleSetBuilder::new().yaml("inline.yml", yaml).build();
/// assert!(loaded.errors.is_empty());
/// assert_eq!(loaded.rules.infos().count(), 1);
/// ```
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    reader: Reader,
}

impl RuleSetBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule file, or every `*.yml`/`*.yaml` below a directory.
    #[must_use]
    pub fn path(mut self, path: impl AsRef<Path>) -> Self {
        self.reader.add_path(path.as_ref());
        self
    }

    /// Adds rules from text, named `file` in messages.
    #[must_use]
    pub fn yaml(mut self, file: impl AsRef<Path>, text: &str) -> Self {
        self.reader.add_text(file.as_ref(), text);
        self
    }

    /// Compiles what was added. Rules that fail are reported in
    /// [`Loaded::errors`]; the rest load.
    #[must_use]
    pub fn build(self) -> Loaded {
        Compiler::new(self.reader).run()
    }
}

impl RuleSet {
    /// Loads rule files and directories.
    #[must_use]
    pub fn load<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Loaded {
        paths
            .into_iter()
            .fold(RuleSetBuilder::new(), RuleSetBuilder::path)
            .build()
    }

    /// Every loaded rule: detection rules, then correlations in evaluation
    /// order.
    pub fn infos(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules
            .iter()
            .map(AsRef::as_ref)
            .chain(self.correlations.iter().map(|c| c.info.as_ref()))
    }

    /// A rule by its id (see [`RuleInfo::id`]).
    #[must_use]
    pub fn info(&self, id: &str) -> Option<&RuleInfo> {
        self.infos().find(|i| &*i.id == id)
    }

    /// The detection rules whose matches [`crate::SigmaEngine`] memoises per
    /// combination of low-cardinality field values (see docs/sigma.md,
    /// "Memoised detection rules").
    pub fn memoised(&self) -> impl Iterator<Item = &RuleInfo> {
        self.memo
            .memo
            .iter()
            .filter_map(|i| self.rules.get(*i as usize))
            .map(AsRef::as_ref)
    }

    /// Compiled detection rules, in the order of [`RuleSet::infos`].
    pub(crate) fn compiled(&self) -> &[CompiledRule] {
        self.engine.rules()
    }
}

struct Compiler {
    reader: Reader,
    errors: Vec<RuleError>,
    warnings: Vec<RuleError>,
    /// Ids and names of rules that did not load, for clearer references.
    unloaded: std::collections::HashSet<String>,
}

/// A correlation before its references are resolved.
struct Draft<'a> {
    doc: &'a Doc,
    rule: &'a CorrelationRule,
    info: RuleInfo,
}

impl Compiler {
    fn new(mut reader: Reader) -> Self {
        let errors = std::mem::take(&mut reader.errors);
        let warnings = std::mem::take(&mut reader.warnings);
        Self {
            reader,
            errors,
            warnings,
            unloaded: std::collections::HashSet::new(),
        }
    }

    fn run(mut self) -> Loaded {
        let docs = std::mem::take(&mut self.reader.docs);
        let mut names: HashMap<String, Source> = HashMap::new();

        // Detection rules, compiled in one batch.
        let mut rule_docs = Vec::new();
        for doc in &docs {
            if let Item::Rule(rule) = &doc.item {
                let keys = keys(rule.id.as_deref(), rule.name.as_deref());
                if let Some(dup) = keys.iter().find(|k| names.contains_key(*k)) {
                    self.errors
                        .push(doc.error_at(dup, RuleErrorKind::Duplicate(dup.clone())));
                    continue;
                }
                rule_docs.push((doc, rule.as_ref()));
                for k in keys {
                    names.insert(k, Source::Rule(usize::MAX));
                }
            }
        }
        names.clear();
        // Each rule compiled alone first, so a panic inside rsigma-eval on a
        // hostile rule fails that rule only; then all at once into the engine.
        let mut failed: HashMap<usize, String> = HashMap::new();
        for (i, (_, rule)) in rule_docs.iter().enumerate() {
            if let Err(message) = crate::load::guarded(|| rsigma_eval::compile_rule(rule)) {
                failed.insert(i, message);
            }
        }
        let compilable: Vec<usize> = (0..rule_docs.len())
            .filter(|i| !failed.contains_key(i))
            .collect();
        let mut engine = Engine::new();
        let batch = compilable
            .iter()
            .filter_map(|i| rule_docs.get(*i).map(|(_, r)| *r));
        for (k, e) in engine.add_rules(batch) {
            if let Some(i) = compilable.get(k) {
                failed.insert(*i, crate::error::tidy(&e.to_string()));
            }
        }
        let mut rules = Vec::new();
        let mut rule_sources = Vec::new();
        for (i, (doc, rule)) in rule_docs.iter().enumerate() {
            if let Some(message) = failed.get(&i) {
                self.errors
                    .push(doc.error(RuleErrorKind::Compile(message.clone())));
                self.unloaded
                    .extend(keys(rule.id.as_deref(), rule.name.as_deref()));
                continue;
            }
            let index = rules.len();
            for k in keys(rule.id.as_deref(), rule.name.as_deref()) {
                names.insert(k, Source::Rule(index));
            }
            self.check_fields(doc, &rule.detection.named);
            rules.push(RuleInfo {
                id: key_of(rule.id.as_deref(), rule.name.as_deref(), &rule.title),
                title: rule.title.as_str().into(),
                level: rule.level.map(crate::info::level_from_sigma),
                tags: rule.tags.clone(),
                description: rule.description.clone(),
                falsepositives: rule.falsepositives.clone(),
                kind: RuleKind::Detection,
                location: location(doc),
                reported: true,
            });
            rule_sources.push(*doc);
        }

        // Filters change the compiled rules they target.
        for doc in &docs {
            if let Item::Filter(filter) = &doc.item {
                self.check_fields(doc, &filter.detection.named);
                if let rsigma_parser::FilterRuleTarget::Specific(targets) = &filter.rules {
                    for t in targets {
                        let known = names.contains_key(t) || rules.iter().any(|r| &*r.title == t);
                        if !known {
                            self.warnings
                                .push(doc.error_at(t, RuleErrorKind::UnknownRule(t.clone())));
                        }
                    }
                }
                if let Err(e) = engine.apply_filter(filter) {
                    self.errors.push(
                        doc.error(RuleErrorKind::Compile(crate::error::tidy(&e.to_string()))),
                    );
                }
            }
        }

        // Correlations: drafts, names, then resolution in dependency order.
        let mut drafts = Vec::new();
        for doc in &docs {
            if let Item::Correlation(rule) = &doc.item {
                let keys = keys(rule.id.as_deref(), rule.name.as_deref());
                if let Some(dup) = keys.iter().find(|k| names.contains_key(*k)) {
                    self.errors
                        .push(doc.error_at(dup, RuleErrorKind::Duplicate(dup.clone())));
                    continue;
                }
                if let Some(err) = self.unsupported(doc, rule) {
                    self.errors.push(err);
                    self.unloaded.extend(keys);
                    continue;
                }
                let index = drafts.len();
                for k in keys {
                    names.insert(k, Source::Correlation(index));
                }
                drafts.push(Draft {
                    doc,
                    rule,
                    info: RuleInfo {
                        id: key_of(rule.id.as_deref(), rule.name.as_deref(), &rule.title),
                        title: rule.title.as_str().into(),
                        level: rule.level.map(crate::info::level_from_sigma),
                        tags: rule.tags.clone(),
                        description: rule.description.clone(),
                        falsepositives: rule.falsepositives.clone(),
                        kind: RuleKind::Correlation(CorrelationKind::from_sigma(
                            rule.correlation_type,
                        )),
                        location: location(doc),
                        reported: true,
                    },
                });
            }
        }
        let order = self.order(&drafts, &names);
        let mut slots: Vec<Field> = Vec::new();
        let mut position: HashMap<usize, usize> = HashMap::new();
        let mut correlations: Vec<Correlation> = Vec::new();
        for draft_index in order {
            let Some(draft) = drafts.get(draft_index) else {
                continue;
            };
            match self.resolve(draft, &names, &position, &correlations, &mut slots) {
                Ok(c) => {
                    position.insert(draft_index, correlations.len());
                    correlations.push(c);
                }
                Err(e) => self.errors.push(*e),
            }
        }

        // Who reads whom, and what is reported.
        let mut rule_generate = vec![None::<bool>; rules.len()];
        let mut corr_generate = vec![None::<bool>; correlations.len()];
        for c in &correlations {
            let generate = drafts
                .iter()
                .find(|d| d.info.id == c.info.id)
                .is_some_and(|d| d.rule.generate);
            for input in &c.inputs {
                let slot = match input.source {
                    Source::Rule(r) => rule_generate.get_mut(r),
                    Source::Correlation(child) => corr_generate.get_mut(child),
                };
                if let Some(slot) = slot {
                    *slot = Some(slot.unwrap_or(false) || generate);
                }
            }
        }
        let referenced = rule_generate.iter().map(Option::is_some).collect();
        let rules = rules
            .into_iter()
            .zip(&rule_generate)
            .map(|(mut info, generate)| {
                info.reported = generate.unwrap_or(true);
                Arc::new(info)
            })
            .collect();
        for (c, generate) in correlations.iter_mut().zip(&corr_generate) {
            if let Some(info) = Arc::get_mut(&mut c.info) {
                info.reported = generate.unwrap_or(true);
            }
            c.reads = vec![0; rule_generate.len().div_ceil(64)];
            for input in &c.inputs {
                match input.source {
                    Source::Rule(r) => set_bit(&mut c.reads, r),
                    Source::Correlation(_) => c.chained = true,
                }
            }
        }
        // After the filters, which add detections to the rules they target.
        let memo = MemoPlan::new(engine.rules());
        Loaded {
            rules: RuleSet {
                engine,
                rules,
                referenced,
                correlations,
                slots,
                memo,
            },
            errors: self.errors,
            warnings: self.warnings,
        }
    }

    fn check_fields(&mut self, doc: &Doc, named: &HashMap<String, Detection>) {
        let mut names = Vec::new();
        for detection in named.values() {
            detection_fields(detection, &mut names);
        }
        names.sort();
        names.dedup();
        for name in names {
            if Field::parse(&name).is_none() {
                self.warnings
                    .push(doc.error_at(&name, RuleErrorKind::UnknownField(name.clone())));
            }
        }
    }

    fn unsupported(&self, doc: &Doc, rule: &CorrelationRule) -> Option<RuleError> {
        let kind = CorrelationKind::from_sigma(rule.correlation_type);
        if rule.window != WindowMode::Sliding {
            let what = format!(
                "window mode `{}` (an rsigma extension)",
                rule.window.as_str()
            );
            return Some(doc.error_at("window:", RuleErrorKind::Unsupported(what)));
        }
        if rule.rules.is_empty() {
            return Some(doc.error_at(
                "rules:",
                RuleErrorKind::Invalid("a correlation needs `rules`".to_owned()),
            ));
        }
        if rule.timespan.seconds == 0 {
            return Some(doc.error_at(
                "timespan:",
                RuleErrorKind::Invalid("`timespan` must be longer than zero".to_owned()),
            ));
        }
        match &rule.condition {
            CorrelationCondition::Extended(_) if kind != CorrelationKind::Temporal => {
                Some(doc.error_at(
                    "condition:",
                    RuleErrorKind::Unsupported(format!(
                        "a boolean condition on `{}`",
                        kind.as_str()
                    )),
                ))
            }
            CorrelationCondition::Threshold { field, .. } if kind.needs_field() => {
                let count = field.as_ref().map_or(0, Vec::len);
                if count == 0 {
                    Some(doc.error_at(
                        "condition:",
                        RuleErrorKind::Invalid(format!(
                            "`{}` needs `condition.field`",
                            kind.as_str()
                        )),
                    ))
                } else if count > 1 && kind != CorrelationKind::ValueCount {
                    Some(doc.error_at(
                        "field:",
                        RuleErrorKind::Invalid(format!(
                            "`{}` takes one field, not {count}",
                            kind.as_str()
                        )),
                    ))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Draft indices with every correlation after the correlations it reads;
    /// correlations in a cycle are reported and left out.
    fn order(&mut self, drafts: &[Draft<'_>], names: &HashMap<String, Source>) -> Vec<usize> {
        let deps: Vec<Vec<usize>> = drafts
            .iter()
            .map(|d| {
                d.rule
                    .rules
                    .iter()
                    .filter_map(|r| match names.get(r) {
                        Some(Source::Correlation(i)) => Some(*i),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        // 0 = unvisited, 1 = in progress, 2 = done.
        let mut mark = vec![0u8; drafts.len()];
        let mut order = Vec::new();
        let mut cyclic = vec![false; drafts.len()];
        for start in 0..drafts.len() {
            visit(start, &deps, &mut mark, &mut order, &mut cyclic);
        }
        for (i, d) in drafts.iter().enumerate() {
            if cyclic.get(i).copied().unwrap_or(false) {
                let via = d.rule.rules.first().cloned().unwrap_or_default();
                self.errors
                    .push(d.doc.error_at(&via, RuleErrorKind::Cycle(via.clone())));
            }
        }
        order
            .into_iter()
            .filter(|i| !cyclic.get(*i).copied().unwrap_or(true))
            .collect()
    }

    fn resolve(
        &self,
        draft: &Draft<'_>,
        names: &HashMap<String, Source>,
        position: &HashMap<usize, usize>,
        done: &[Correlation],
        slots: &mut Vec<Field>,
    ) -> Result<Correlation, Box<RuleError>> {
        let rule = draft.rule;
        let doc = draft.doc;
        let kind = CorrelationKind::from_sigma(rule.correlation_type);
        let (predicates, fields, percentile, extended) = match &rule.condition {
            CorrelationCondition::Threshold {
                predicates,
                field,
                percentile,
            } => {
                let explicit = doc
                    .yaml
                    .get("correlation")
                    .and_then(|c| c.get("condition"))
                    .is_some();
                let predicates = if kind.is_temporal() && !explicit {
                    // No condition: every referenced rule (pySigma).
                    vec![Predicate {
                        op: ConditionOperator::Gte,
                        value: rule.rules.len() as f64,
                    }]
                } else {
                    predicates
                        .iter()
                        .map(|(op, v)| Predicate {
                            op: *op,
                            value: *v as f64,
                        })
                        .collect()
                };
                let p = match kind {
                    CorrelationKind::ValueMedian => 50.0,
                    _ => percentile.map_or(50.0, |p| p as f64),
                };
                (predicates, field.clone().unwrap_or_default(), p, None)
            }
            CorrelationCondition::Extended(expr) => (
                vec![Predicate {
                    op: ConditionOperator::Gte,
                    value: 1.0,
                }],
                Vec::new(),
                50.0,
                Some(expr.clone()),
            ),
        };
        let mut inputs = Vec::new();
        for reference in &rule.rules {
            let source = match names.get(reference) {
                Some(Source::Rule(i)) => Source::Rule(*i),
                Some(Source::Correlation(d)) => match position.get(d) {
                    Some(p) => Source::Correlation(*p),
                    None => {
                        return Err(Box::new(doc.error_at(
                            reference,
                            RuleErrorKind::Invalid(format!(
                                "referenced correlation `{reference}` did not load"
                            )),
                        )));
                    }
                },
                None if self.unloaded.contains(reference) => {
                    return Err(Box::new(doc.error_at(
                        reference,
                        RuleErrorKind::Invalid(format!(
                            "referenced rule `{reference}` did not load"
                        )),
                    )));
                }
                None => {
                    return Err(Box::new(doc.error_at(
                        reference,
                        RuleErrorKind::UnknownRule(reference.clone()),
                    )));
                }
            };
            let mut resolve = |name: &String| -> Result<Resolved, Box<RuleError>> {
                let alias = rule.aliases.iter().find(|a| &a.alias == name);
                let target = match alias {
                    Some(a) => match a.mapping.get(reference) {
                        Some(t) => t.clone(),
                        None => return Ok(Resolved::Missing),
                    },
                    None => name.clone(),
                };
                match source {
                    Source::Rule(_) => {
                        let Some(field) = Field::parse(&target) else {
                            return Err(Box::new(
                                doc.error_at(&target, RuleErrorKind::UnknownField(target.clone())),
                            ));
                        };
                        let slot = slots.iter().position(|f| *f == field).unwrap_or_else(|| {
                            slots.push(field);
                            slots.len() - 1
                        });
                        Ok(Resolved::Slot(slot))
                    }
                    Source::Correlation(c) => {
                        let child = done.get(c).map(|c| c.group_by.as_slice()).unwrap_or(&[]);
                        match child.iter().position(|g| *g == target) {
                            Some(p) => Ok(Resolved::Key(p)),
                            None => Err(Box::new(doc.error_at(
                                &target,
                                RuleErrorKind::Invalid(format!(
                                    "`{target}` is not a group-by field of `{reference}`"
                                )),
                            ))),
                        }
                    }
                }
            };
            let keys = rule
                .group_by
                .iter()
                .map(&mut resolve)
                .collect::<Result<Vec<_>, _>>()?;
            let values = fields
                .iter()
                .map(&mut resolve)
                .collect::<Result<Vec<_>, _>>()?;
            inputs.push(Input {
                source,
                keys,
                values,
            });
        }
        let span_ms = i64::try_from(rule.timespan.seconds.saturating_mul(1000)).unwrap_or(i64::MAX);
        Ok(Correlation {
            info: Arc::new(draft.info.clone()),
            kind,
            span_ms,
            group_by: rule.group_by.clone(),
            inputs,
            input_names: rule.rules.clone(),
            predicates,
            percentile,
            extended,
            reads: Vec::new(),
            chained: false,
        })
    }
}

fn visit(
    node: usize,
    deps: &[Vec<usize>],
    mark: &mut [u8],
    order: &mut Vec<usize>,
    cyclic: &mut [bool],
) {
    match mark.get(node) {
        Some(2) | None => return,
        Some(1) => {
            if let Some(c) = cyclic.get_mut(node) {
                *c = true;
            }
            return;
        }
        _ => {}
    }
    if let Some(m) = mark.get_mut(node) {
        *m = 1;
    }
    for dep in deps.get(node).map(Vec::as_slice).unwrap_or(&[]) {
        visit(*dep, deps, mark, order, cyclic);
        if cyclic.get(*dep).copied().unwrap_or(false)
            && let Some(c) = cyclic.get_mut(node)
        {
            *c = true;
        }
    }
    if let Some(m) = mark.get_mut(node) {
        *m = 2;
    }
    order.push(node);
}

fn keys(id: Option<&str>, name: Option<&str>) -> Vec<String> {
    id.into_iter().chain(name).map(str::to_owned).collect()
}

fn key_of(id: Option<&str>, name: Option<&str>, title: &str) -> Arc<str> {
    id.or(name).unwrap_or(title).into()
}

fn location(doc: &Doc) -> Location {
    Location {
        file: doc.file.clone(),
        line: Some(doc.line + crate::load::first_line(&doc.text) - 1),
        column: None,
    }
}

/// Field names a detection reads.
fn detection_fields(detection: &Detection, out: &mut Vec<String>) {
    match detection {
        Detection::AllOf(items) => {
            out.extend(items.iter().filter_map(|i| i.field.name.clone()));
        }
        Detection::AnyOf(list) | Detection::And(list) => {
            for d in list {
                detection_fields(d, out);
            }
        }
        Detection::ArrayMatch { field, .. } => out.push(field.clone()),
        Detection::Conditional { named, .. } => {
            for d in named.values() {
                detection_fields(d, out);
            }
        }
        Detection::Keywords(_) => {}
    }
}
