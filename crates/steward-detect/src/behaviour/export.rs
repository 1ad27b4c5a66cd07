//! `export-volume`: a principal receives far more records or bytes of
//! personal data in a window than it and its peers usually do.
//!
//! **What.** Records and bytes returned by successful reads of data
//! subjects, summed per principal per tumbling window (default one hour,
//! aligned to the epoch), each judged like `breadth`'s count against the
//! principal's own past windows and its peer group (the shared
//! [`baseline`]): flagged when either sum reaches its
//! floor (`min_records`, `min_bytes`) and exceeds both bounds. Severity is
//! high when the sum is at least `high_ratio` times the bar, else medium.
//!
//! **Why.** Breadth misses an identity that reads few people but takes
//! everything about them (whole order histories, address books holding
//! third parties), and bulk exports through list endpoints; what leaves is
//! measured in records and bytes.
//!
//! **Settings** ([`Config`]): `window_ms` (3,600,000), `min_records`
//! (50), `min_bytes` (50,000), `high_ratio` (4.0), and the shared
//! `baseline` settings.
//!
//! **False-positive guards.** Own and peer baselines (busy roles and batch
//! jobs are measured against themselves), absolute floors, customers
//! reading only their own records never count, undecided without a
//! baseline, one detection per principal per episode.
//!
//! **State bounds.** Two counters per open window and principal; the
//! baselines' rings (two per principal and peer group).

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;

use super::baseline::{self, Metrics, Verdict, round2};
use super::windowed::{Frame, Measure, Report, Windowed, against};
use super::windows::{Read, Slot};

/// Stable id.
pub const ID: &str = "export-volume";

/// Settings of `export-volume`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Fewest records in a window that can be flagged.
    pub min_records: u64,
    /// Fewest bytes in a window that can be flagged.
    pub min_bytes: u64,
    /// Sum over bar from which the severity is high (else medium).
    pub high_ratio: f64,
    /// Window width, milliseconds.
    pub window_ms: i64,
    /// Own and peer baselines.
    pub baseline: baseline::Settings,
    /// Whether the detector runs.
    pub enabled: bool,
}

impl Default for Config {
    /// Floors for a platform of about a million members (an hour of the
    /// nightly batch job there is about 30,000 records and 14 MB).
    fn default() -> Self {
        let baseline = baseline::Settings::default();
        Self {
            min_records: 50,
            min_bytes: 50_000,
            high_ratio: 4.0,
            window_ms: 3_600_000,
            baseline,
            enabled: true,
        }
    }
}

/// The `export-volume` detector.
pub type ExportVolume = Windowed<Volume>;

/// Records and bytes of one principal in one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Records returned (the subjects read when the log does not say).
    pub records: u64,
    /// Bytes returned.
    pub bytes: u64,
}

impl Measure for Volume {
    const ID: &'static str = ID;
    type Config = Config;

    fn frame(config: &Config) -> Frame<'_> {
        let floors = vec![config.min_records, config.min_bytes];
        Frame(config.window_ms, floors, &config.baseline)
    }

    fn check(config: &Config) -> Option<&'static str> {
        let sane = config.high_ratio.is_finite() && config.high_ratio >= 1.0;
        (!sane).then_some("high_ratio must be at least 1")
    }

    fn add(&mut self, read: &Read<'_>, _config: &Config) {
        let records = read
            .event
            .records
            .unwrap_or(read.event.subjects.len() as u64);
        self.records = self.records.saturating_add(records);
        self.bytes = self
            .bytes
            .saturating_add(read.event.bytes.unwrap_or_default());
    }

    fn values(&self) -> Metrics {
        smallvec::smallvec![self.records, self.bytes]
    }

    fn report(&self, config: &Config, slot: &Slot<Self>, verdict: &Verdict) -> Report {
        let mut facts = serde_json::Map::new();
        let mut ratio: f64 = 0.0;
        for (j, metric) in verdict.judgements.iter().zip(["records", "bytes"]) {
            j.facts(metric, &mut facts);
            if j.flagged {
                ratio = ratio.max(j.ratio());
            }
        }
        facts.insert("min_records".into(), config.min_records.into());
        facts.insert("min_bytes".into(), config.min_bytes.into());
        facts.insert("ratio".into(), round2(ratio).into());
        let severity = if ratio >= config.high_ratio {
            Severity::High
        } else {
            Severity::Medium
        };
        let title = format!(
            "{} principal received {} records ({} bytes) of personal data in one window, {ratio:.1}× the bar of {}",
            slot.kind.name(),
            self.records,
            self.bytes,
            against(verdict),
        );
        Report {
            severity,
            title,
            facts,
        }
    }
}
