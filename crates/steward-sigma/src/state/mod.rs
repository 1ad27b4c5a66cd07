//! Correlation state: per correlation, per group, bounded and serialisable,
//! so a long-running `watch` can checkpoint it and carry on after a restart.

pub(crate) mod distinct;
pub(crate) mod fast;
pub(crate) mod hash;
pub(crate) mod hll;
pub(crate) mod ring;
pub(crate) mod series;
pub(crate) mod temporal;

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use crate::fields::OwnedValue;
use crate::ruleset::{Correlation, CorrelationKind};
use distinct::Distinct;
use series::{Runs, Values};
use temporal::{Ordered, Temporal};

/// Format of [`SigmaState`]; bumped on any incompatible change (including
/// the value hash).
pub const STATE_VERSION: u32 = 1;

/// Caps that bound memory, with what happens past them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caps {
    /// Distinct values counted exactly per `value_count` group; past it the
    /// count is a HyperLogLog estimate (≈ 1.6 % standard error) over a
    /// window whose old edge is rounded out to 1/16 of the timespan.
    pub distinct_exact: usize,
    /// Entries per `event_count`/`value_sum`/`value_avg` group before events
    /// of the same 1/16 of the timespan are merged (the old edge is then
    /// rounded out by up to 1/16 of the timespan).
    pub window_entries: usize,
    /// Values kept per `value_percentile`/`value_median` group; past it the
    /// oldest are dropped (the percentile of the newest values).
    pub percentile_values: usize,
    /// Groups per correlation; past it, groups whose window is empty are
    /// dropped, then the least recently updated.
    pub groups: usize,
    /// Event ids kept per group as a sample for matches.
    pub samples: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            distinct_exact: 10_000,
            window_entries: 4_096,
            percentile_values: 10_000,
            groups: 200_000,
            samples: 5,
        }
    }
}

/// What evaluation counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Events processed.
    pub events: u64,
    /// Detection matches reported.
    pub detections: u64,
    /// Correlation matches reported.
    pub correlations: u64,
    /// Events older than the watermark, left out of correlations (their
    /// detection matches were still reported).
    pub late_events: u64,
    /// Correlation hits without a value for a `group-by` field, left out.
    pub missing_group_key: u64,
    /// Correlation hits without a numeric value for `value_*` types.
    pub missing_value: u64,
    /// Groups dropped at the group cap while their window was not empty.
    pub groups_evicted: u64,
}

/// A correlation hit held until the watermark passes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    pub time_ms: i64,
    pub event_id: String,
    pub seq: u64,
    /// Detection rules the event matched (indices, ascending).
    pub rules: Vec<u32>,
    /// Values of the rule set's slots.
    pub values: Vec<Option<OwnedValue>>,
}

impl Pending {
    fn key(&self) -> (i64, &str, u64) {
        (self.time_ms, &self.event_id, self.seq)
    }
}

// Reversed, so the heap pops the oldest (time, event id, arrival) first.
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The aggregate of one group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Agg {
    Count(Runs),
    Sum(Runs),
    Distinct(Distinct),
    Values(Values),
    Temporal(Temporal),
    Ordered(Ordered),
}

impl Agg {
    pub(crate) fn new(c: &Correlation) -> Self {
        match c.kind {
            CorrelationKind::EventCount => Self::Count(Runs::default()),
            CorrelationKind::ValueSum | CorrelationKind::ValueAvg => Self::Sum(Runs::default()),
            CorrelationKind::ValueCount => Self::Distinct(Distinct::default()),
            CorrelationKind::ValuePercentile | CorrelationKind::ValueMedian => {
                Self::Values(Values::default())
            }
            CorrelationKind::Temporal => Self::Temporal(Temporal::new(c.inputs.len())),
            CorrelationKind::TemporalOrdered => Self::Ordered(Ordered::new(c.inputs.len())),
        }
    }

    fn fits(&self, c: &Correlation) -> bool {
        let n = c.inputs.len();
        match (self, c.kind) {
            (Self::Count(r), CorrelationKind::EventCount)
            | (Self::Sum(r), CorrelationKind::ValueSum | CorrelationKind::ValueAvg) => {
                r.is_consistent()
            }
            (Self::Distinct(d), CorrelationKind::ValueCount) => d.is_consistent(),
            (Self::Values(v), CorrelationKind::ValuePercentile | CorrelationKind::ValueMedian) => {
                v.is_consistent()
            }
            (Self::Temporal(t), CorrelationKind::Temporal) => t.is_consistent(n),
            (Self::Ordered(o), CorrelationKind::TemporalOrdered) => o.is_consistent(n),
            _ => false,
        }
    }

    /// Drops what is older than `cutoff`.
    pub(crate) fn expire(&mut self, cutoff: i64) {
        match self {
            Self::Count(r) | Self::Sum(r) => r.expire(cutoff),
            Self::Distinct(d) => d.expire(cutoff),
            Self::Values(v) => v.expire(cutoff),
            Self::Temporal(_) | Self::Ordered(_) => {}
        }
    }

    /// Whether the window holds nothing newer than `cutoff`.
    fn is_empty(&self, cutoff: i64) -> bool {
        match self {
            Self::Count(r) | Self::Sum(r) => r.is_empty(),
            Self::Distinct(d) => d.is_empty(),
            Self::Values(v) => v.is_empty(),
            Self::Temporal(t) => t.newest().is_none_or(|n| n < cutoff),
            Self::Ordered(o) => o.newest().is_none_or(|n| n < cutoff),
        }
    }

    /// Whether the current value is approximate.
    pub(crate) fn is_approximate(&self) -> bool {
        match self {
            Self::Count(r) | Self::Sum(r) => r.is_approximate(),
            Self::Distinct(d) => d.is_approximate(),
            Self::Values(v) => v.is_approximate(),
            Self::Temporal(_) | Self::Ordered(_) => false,
        }
    }
}

/// Sample event ids kept in a group without a separate allocation (the
/// default cap).
pub(crate) const INLINE_SAMPLES: usize = 5;

/// A group's sample event ids with their times, oldest first.
pub(crate) type Samples = ring::Ring<(i64, CompactString), INLINE_SAMPLES>;

/// One group of one correlation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Group {
    pub agg: Agg,
    /// Newest hit.
    pub last_ms: i64,
    /// Newest hit at which the condition held: the episode it belongs to
    /// lasts until the condition has not held for a whole timespan.
    pub held_ms: Option<i64>,
    /// Newest event ids with their times, oldest first. Held in the group
    /// itself (ids of up to 24 bytes without an allocation), so an update
    /// touches one place in memory, not a ring and a string per sample.
    pub samples: Samples,
}

/// The groups of one correlation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct CorrelationState {
    /// The correlation's id (see [`crate::RuleInfo::id`]).
    pub id: String,
    pub groups: fast::FastMap<CompactString, Group>,
    /// Event time of the next sweep of expired groups.
    pub next_sweep_ms: i64,
}

impl CorrelationState {
    /// Drops groups whose window is empty at `now`; past `cap` groups, the
    /// least recently updated too (counted).
    pub(crate) fn sweep(&mut self, now: i64, span: i64, cap: usize) -> u64 {
        let cutoff = now.saturating_sub(span);
        // A group whose newest hit is in the window keeps its old entries
        // until its next hit; a rounded window (merged runs, sketches) can
        // outlast the newest hit, so older groups are expired to tell.
        self.groups.retain(|_, g| {
            g.last_ms >= cutoff || {
                g.agg.expire(cutoff);
                !g.agg.is_empty(cutoff)
            }
        });
        self.next_sweep_ms = now.saturating_add(span.max(1));
        if self.groups.len() <= cap {
            return 0;
        }
        let keep = cap - cap / 10;
        let mut by_age: Vec<(i64, CompactString)> = self
            .groups
            .iter()
            .map(|(k, g)| (g.last_ms, k.clone()))
            .collect();
        by_age.sort_unstable();
        let drop = by_age.len().saturating_sub(keep);
        for (_, key) in by_age.into_iter().take(drop) {
            self.groups.remove(&key);
        }
        drop as u64
    }
}

/// Everything [`crate::SigmaEngine`] keeps between events: serialise it
/// (serde) to checkpoint, and hand it to [`crate::SigmaEngine::restore`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SigmaState {
    pub(crate) version: u32,
    /// Newest event time seen.
    pub(crate) max_time_ms: Option<i64>,
    /// Events older than this are late.
    pub(crate) watermark_ms: Option<i64>,
    pub(crate) seq: u64,
    pub(crate) pending: BinaryHeap<Pending>,
    pub(crate) correlations: Vec<CorrelationState>,
    pub(crate) counters: Counters,
    /// Rule ids and field slots the pending hits refer to by position.
    pub(crate) layout: Vec<String>,
}

impl SigmaState {
    pub(crate) fn new(correlations: &[Correlation]) -> Self {
        Self {
            version: STATE_VERSION,
            max_time_ms: None,
            watermark_ms: None,
            seq: 0,
            pending: BinaryHeap::new(),
            correlations: correlations
                .iter()
                .map(|c| CorrelationState {
                    id: c.info.id.to_string(),
                    groups: fast::FastMap::default(),
                    next_sweep_ms: i64::MIN,
                })
                .collect(),
            counters: Counters::default(),
            layout: Vec::new(),
        }
    }

    /// The watermark: events older than it are late.
    #[must_use]
    pub const fn watermark_ms(&self) -> Option<i64> {
        self.watermark_ms
    }

    /// Correlation hits held until the watermark passes them.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Groups held, over all correlations.
    #[must_use]
    pub fn groups(&self) -> usize {
        self.correlations.iter().map(|c| c.groups.len()).sum()
    }

    /// Counters.
    #[must_use]
    pub const fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Re-aligns restored state with `correlations` (by id): state of
    /// correlations no longer loaded is dropped, new ones start empty, and a
    /// group whose state does not fit its correlation is an error.
    pub(crate) fn realign(
        mut self,
        correlations: &[Correlation],
        slots: usize,
        rules: usize,
    ) -> Result<Self, crate::StateError> {
        if self.version != STATE_VERSION {
            return Err(crate::StateError::Version {
                found: self.version,
                expected: STATE_VERSION,
            });
        }
        let mut old: HashMap<String, CorrelationState> = self
            .correlations
            .drain(..)
            .map(|c| (c.id.clone(), c))
            .collect();
        for c in correlations {
            let id = c.info.id.to_string();
            let state = old.remove(&id).unwrap_or_else(|| CorrelationState {
                id: id.clone(),
                groups: fast::FastMap::default(),
                next_sweep_ms: i64::MIN,
            });
            if !state.groups.values().all(|g| g.agg.fits(c)) {
                return Err(crate::StateError::Inconsistent(id));
            }
            self.correlations.push(state);
        }
        let pending_ok = self
            .pending
            .iter()
            .all(|p| p.values.len() == slots && p.rules.iter().all(|r| (*r as usize) < rules));
        if !pending_ok {
            return Err(crate::StateError::Inconsistent("pending".to_owned()));
        }
        Ok(self)
    }
}
