//! What a scan returns per input, and the accumulators readers fill.

use std::collections::BTreeMap;

use serde::Serialize;
use steward_model::category::DataCategory;
use steward_model::finding::{ColumnSummary, Finding, Location};
use steward_model::masked::{FingerprintKey, Sensitive};

use crate::engine::{Engine, Hit};

/// How an input fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// Read to the end (malformed records, if any, were skipped).
    Scanned,
    /// Unchanged since the last scan; findings come from the inventory.
    Unchanged,
    /// Allow-listed path.
    Ignored,
    /// Not scanned on purpose (binary content); see `error`.
    Skipped,
    /// Could not be read (or only in part); see `error`.
    Failed,
}

/// One input's results.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// Path or database URL without credentials.
    pub path: String,
    /// Reader used: `text`, `csv`, `jsonl`, `json`, `parquet`, `xlsx`,
    /// `sqlite`, `postgres`, with `+gzip`/`+zstd` when decompressed.
    pub format: String,
    /// Outcome.
    pub status: SourceStatus,
    /// Why the input failed, or stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Bytes read (decompressed).
    pub bytes: u64,
    /// Lines, rows or records read.
    pub records: u64,
    /// Malformed records skipped.
    pub malformed: u64,
    /// The first malformed records: where and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// Findings: one per match in text, one per classified column.
    pub findings: Vec<Finding>,
    /// Matches per detector, including any beyond the findings cap.
    pub counts: BTreeMap<String, u64>,
    /// Matches counted but not listed because of the findings cap.
    pub unlisted: u64,
    /// File size and modification time, for skipping unchanged files.
    #[serde(skip)]
    pub file_meta: Option<(u64, i64)>,
}

impl SourceReport {
    /// An empty report for an input.
    #[must_use]
    pub fn new(path: &str, format: &str) -> Self {
        Self {
            path: path.to_owned(),
            format: format.to_owned(),
            status: SourceStatus::Scanned,
            error: None,
            bytes: 0,
            records: 0,
            malformed: 0,
            problems: Vec::new(),
            findings: Vec::new(),
            counts: BTreeMap::new(),
            unlisted: 0,
            file_meta: None,
        }
    }

    /// A failed input.
    #[must_use]
    pub fn failed(path: &str, format: &str, reason: String) -> Self {
        let mut r = Self::new(path, format);
        r.status = SourceStatus::Failed;
        r.error = Some(reason);
        r
    }

    /// Records a malformed record; the first few are kept with their reason.
    pub fn malformed(&mut self, problem: impl FnOnce() -> String) {
        self.malformed += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem());
        }
    }
}

impl SourceReport {
    /// Records how a chunked read ended: the bytes read, and the error that
    /// stopped it, if any.
    pub fn read_result(&mut self, result: Result<u64, (u64, std::io::Error)>) {
        match result {
            Ok(bytes) => self.bytes = bytes,
            Err((bytes, e)) => {
                self.bytes = bytes;
                self.status = SourceStatus::Failed;
                self.error = Some(format!("read stopped after {bytes} bytes: {e}"));
            }
        }
    }

    /// Adds column findings, counting their matched values.
    pub fn add_columns(&mut self, found: Vec<Finding>) {
        for f in &found {
            if let Some(c) = &f.column {
                *self.counts.entry(f.detector.clone()).or_default() += c.values;
            }
        }
        self.findings.extend(found);
    }
}

/// Malformed records listed per input (all are counted).
pub const MAX_PROBLEMS: usize = 20;

/// Turns hits into findings: masks, fingerprints, and the raw value only
/// when asked.
#[derive(Debug)]
pub struct FindingMaker<'a> {
    /// The engine whose detectors made the hits.
    pub engine: &'a Engine,
    /// Fingerprint key.
    pub key: &'a FingerprintKey,
    /// Include raw values.
    pub show_raw: bool,
}

impl FindingMaker<'_> {
    /// A finding for one value.
    #[must_use]
    pub fn make(&self, hit: &Hit, value: &str, location: Location) -> Option<Finding> {
        let d = self.engine.detectors().get(hit.detector)?;
        let sensitive = Sensitive::new(value, d.mask);
        Some(Finding {
            detector: d.id.clone(),
            category: DataCategory::new(&d.category).ok()?,
            jurisdiction: hit
                .jurisdiction
                .or(d.jurisdiction.as_deref())
                .and_then(|c| steward_model::jurisdiction::Country::parse(c).ok()),
            confidence: round2(hit.confidence),
            location,
            excerpt: sensitive.masked(),
            fingerprint: sensitive.fingerprint(self.key),
            column: None,
            raw: self.show_raw.then(|| sensitive.expose_raw().to_owned()),
        })
    }
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// Findings of one input, capped, with counts of everything.
#[derive(Debug)]
pub struct Findings {
    cap: usize,
    /// Listed findings.
    pub list: Vec<Finding>,
    /// Counts per detector id.
    pub counts: BTreeMap<String, u64>,
    /// Matches beyond the cap.
    pub unlisted: u64,
}

impl Findings {
    /// An empty set listing at most `cap` findings.
    #[must_use]
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            list: Vec::new(),
            counts: BTreeMap::new(),
            unlisted: 0,
        }
    }

    /// Whether another finding would still be listed.
    #[must_use]
    pub fn has_room(&self) -> bool {
        self.list.len() < self.cap
    }

    /// Counts a match and lists it if there is room (`make` runs only then).
    pub fn push(&mut self, detector: &str, make: impl FnOnce() -> Option<Finding>) {
        *self.counts.entry(detector.to_owned()).or_default() += 1;
        if self.has_room() {
            if let Some(f) = make() {
                self.list.push(f);
            }
        } else {
            self.unlisted += 1;
        }
    }

    /// Moves everything into a report.
    pub fn into_report(self, report: &mut SourceReport) {
        report.findings.extend(self.list);
        for (k, v) in self.counts {
            *report.counts.entry(k).or_default() += v;
        }
        report.unlisted += self.unlisted;
    }
}

/// One detector's matches in one column.
#[derive(Debug, Clone, Default)]
struct DetectorTally {
    values: u64,
    confidence: f64,
    /// Values per country told, in first-seen order (a column's values
    /// tell one or a few).
    jurisdictions: Vec<(&'static str, u64)>,
    first: Option<(Finding, String)>,
}

impl DetectorTally {
    fn told(&mut self, country: &'static str, n: u64) {
        match self.jurisdictions.iter_mut().find(|(c, _)| *c == country) {
            Some((_, k)) => *k += n,
            None => self.jurisdictions.push((country, n)),
        }
    }
}

/// Per-column classification of a structured source.
#[derive(Debug, Default)]
pub struct ColumnTally {
    /// Detectors the column name hints at.
    pub hinted: Vec<usize>,
    non_empty: u64,
    /// Matches per detector index, in first-seen order (a column matches
    /// one or a few detectors; a hash map cost more than the search).
    detectors: Vec<(usize, DetectorTally)>,
}

impl ColumnTally {
    /// A tally for a column with these hinted detectors.
    #[must_use]
    pub fn new(hinted: Vec<usize>) -> Self {
        Self {
            hinted,
            ..Self::default()
        }
    }

    /// Counts a non-empty value.
    pub const fn value(&mut self) {
        self.non_empty += 1;
    }

    /// Detector `det`'s tally, made on first use (always `Some`).
    fn tally_of(&mut self, det: usize) -> Option<&mut DetectorTally> {
        let at = match self.detectors.iter().position(|(d, _)| *d == det) {
            Some(at) => at,
            None => {
                self.detectors.push((det, DetectorTally::default()));
                self.detectors.len() - 1
            }
        };
        self.detectors.get_mut(at).map(|(_, t)| t)
    }

    /// Counts a whole-value match; `sample` builds the first finding.
    pub fn hit(&mut self, hit: &Hit, sample: impl FnOnce() -> Option<(Finding, String)>) {
        let Some(t) = self.tally_of(hit.detector) else {
            return;
        };
        t.values += 1;
        t.confidence += f64::from(hit.confidence);
        if let Some(j) = hit.jurisdiction {
            t.told(j, 1);
        }
        if t.first.is_none() {
            t.first = sample();
        }
    }

    /// Adds another tally of the same column (from another chunk).
    pub fn merge(&mut self, other: Self) {
        self.non_empty += other.non_empty;
        for (det, o) in other.detectors {
            let Some(t) = self.tally_of(det) else {
                continue;
            };
            t.values += o.values;
            t.confidence += o.confidence;
            for (j, n) in o.jurisdictions {
                t.told(j, n);
            }
            if t.first.is_none() {
                t.first = o.first;
            }
        }
    }

    /// Column findings: one per detector whose share of values and mean
    /// confidence pass. Detectors that need context (names, postcodes)
    /// must match at least half the values.
    #[must_use]
    pub fn findings(
        self,
        engine: &Engine,
        dataset: &str,
        table: &str,
        column: &str,
        rows: u64,
        sample: Option<u64>,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut dets = self.detectors;
        dets.sort_by_key(|(d, _)| *d);
        for (det, t) in dets {
            let Some(d) = engine.detectors().get(det) else {
                continue;
            };
            let ratio = if self.non_empty == 0 {
                0.0
            } else {
                t.values as f64 / self.non_empty as f64
            };
            let mean = if t.values == 0 {
                0.0
            } else {
                t.confidence / t.values as f64
            };
            let weak = d.needs_context || d.pattern.is_none();
            if (weak && ratio < 0.5) || (!weak && ratio < 0.02 && !self.hinted.contains(&det)) {
                continue;
            }
            let Some((mut f, first_row)) = t.first else {
                continue;
            };
            f.confidence = round2(mean as f32);
            f.location = Location::Column {
                dataset: dataset.to_owned(),
                table: table.to_owned(),
                column: column.to_owned(),
                first_row: Some(first_row),
            };
            f.column = Some(ColumnSummary {
                values: t.values,
                non_empty: self.non_empty,
                rows,
                match_ratio: (ratio * 10_000.0).round() / 10_000.0,
                sample,
                jurisdictions: t
                    .jurisdictions
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            });
            out.push(f);
        }
        out
    }
}
