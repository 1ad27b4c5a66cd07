//! `breadth`: a principal reads far more distinct data subjects in a window
//! than it and its peers usually do.
//!
//! **What.** Distinct data subjects read per principal per tumbling window
//! (default one hour, aligned to the epoch), judged against the
//! principal's own past windows and its peer group (see
//! [`baseline`]): flagged when the count reaches
//! `min_subjects` and exceeds both the own bound
//! `max(median + k · 1.4826 · MAD, p99)` over its last `history` active
//! windows and the peer group's bound. A principal with fewer than
//! `min_history` windows is judged against `new_principal_factor ×` the
//! peer bound alone.
//!
//! **Why.** A stolen staff account, an insider (a support agent reading 20
//! times their usual) or a leaked partner API key scraping customer records
//! all read more people than the identity normally does, while each single
//! request looks legitimate (§1.5 requirement 4 of the domain reference).
//!
//! **Settings** ([`Config`]): `window_ms` (3,600,000), `min_subjects` (50),
//! `exact_cap` (10,000), and the shared `baseline` settings.
//!
//! **False-positive guards.** Busy roles are judged against their own
//! history and their peers, not a fixed threshold, so support agents who
//! read hundreds of customers an hour and the nightly batch job stay quiet;
//! the `min_subjects` floor ignores small principals with tiny baselines;
//! a customer reading only its own record is never a candidate (it counts
//! as zero for the customer peer group); without any baseline a window is
//! undecided, not flagged. One detection per principal per episode
//! (flagged windows less than `baseline.episode_gap_ms` apart).
//!
//! **State bounds.** Per open window and principal, a distinct counter
//! exact up to `exact_cap` subjects and a bottom-k sketch beyond (relative
//! standard error `1/√(exact_cap − 2)`, 1 % by default, stated in the
//! facts); the baselines' rings. Windows are dropped when they close.

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;

use super::baseline::{self, Metrics, Verdict};
use super::distinct::{Distinct, subject_hash};
use super::windowed::{Frame, Measure, Report, Windowed, against};
use super::windows::{Read, Slot};

/// Stable id.
pub const ID: &str = "breadth";

/// Settings of `breadth`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Whether the detector runs.
    pub enabled: bool,
    /// Window width, milliseconds.
    pub window_ms: i64,
    /// Fewest distinct subjects in a window that can be flagged.
    pub min_subjects: u64,
    /// Distinct subjects counted exactly per window; an estimate beyond.
    pub exact_cap: usize,
    /// Own and peer baselines.
    pub baseline: baseline::Settings,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            enabled: true,
            window_ms: 3_600_000,
            min_subjects: 50,
            exact_cap: 10_000,
            baseline: baseline::Settings::default(),
        }
    }
}

/// The `breadth` detector.
pub type Breadth = Windowed<Subjects>;

/// Distinct subjects of one principal in one window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subjects(Distinct);

impl Measure for Subjects {
    const ID: &'static str = ID;
    type Config = Config;

    fn frame(config: &Config) -> Frame<'_> {
        Frame(
            config.window_ms,
            vec![config.min_subjects],
            &config.baseline,
        )
    }

    fn check(config: &Config) -> Option<&'static str> {
        (config.exact_cap < 16).then_some("exact_cap must be at least 16")
    }

    fn add(&mut self, read: &Read<'_>, config: &Config) {
        for subject in read.others() {
            self.0.insert(subject_hash(subject), config.exact_cap);
        }
    }

    fn values(&self) -> Metrics {
        smallvec::smallvec![self.0.count().value]
    }

    fn report(&self, config: &Config, slot: &Slot<Self>, verdict: &Verdict) -> Report {
        let count = self.0.count();
        let mut facts = serde_json::Map::new();
        let ratio = verdict.judgements.first().map_or(0.0, |j| {
            j.facts("distinct_subjects", &mut facts);
            j.ratio()
        });
        facts.insert("distinct_exact".into(), count.exact.into());
        facts.insert(
            "distinct_relative_error".into(),
            ((count.relative_error * 10_000.0).round() / 10_000.0).into(),
        );
        facts.insert("min_subjects".into(), config.min_subjects.into());
        let approx = if count.exact { "" } else { "about " };
        let title = format!(
            "{} principal read {approx}{} distinct data subjects in one window, {ratio:.1}× the bar of {}",
            slot.kind.name(),
            count.value,
            against(verdict),
        );
        Report {
            severity: Severity::High,
            title,
            facts,
        }
    }
}
