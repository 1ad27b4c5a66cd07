//! What a loaded rule is: its description, level and kind.

use std::sync::Arc;

use rsigma_parser::CorrelationType;
use serde::{Deserialize, Serialize};

use steward_model::alert::Severity;

use crate::error::Location;

/// A rule's severity (Sigma `level`): steward's shared [`Severity`].
pub type Level = Severity;

/// The severity of a Sigma `level`.
pub(crate) const fn level_from_sigma(level: rsigma_parser::Level) -> Level {
    match level {
        rsigma_parser::Level::Informational => Severity::Informational,
        rsigma_parser::Level::Low => Severity::Low,
        rsigma_parser::Level::Medium => Severity::Medium,
        rsigma_parser::Level::High => Severity::High,
        rsigma_parser::Level::Critical => Severity::Critical,
    }
}

/// The correlation types steward evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationKind {
    /// Matching events per group.
    EventCount,
    /// Distinct values of a field per group.
    ValueCount,
    /// Every referenced rule within the timespan.
    Temporal,
    /// Every referenced rule, in order.
    TemporalOrdered,
    /// Sum of a numeric field.
    ValueSum,
    /// Mean of a numeric field.
    ValueAvg,
    /// A percentile of a numeric field (`percentile:`, default 50).
    ValuePercentile,
    /// The median (pySigma extension).
    ValueMedian,
}

impl CorrelationKind {
    pub(crate) const fn from_sigma(t: CorrelationType) -> Self {
        match t {
            CorrelationType::EventCount => Self::EventCount,
            CorrelationType::ValueCount => Self::ValueCount,
            CorrelationType::Temporal => Self::Temporal,
            CorrelationType::TemporalOrdered => Self::TemporalOrdered,
            CorrelationType::ValueSum => Self::ValueSum,
            CorrelationType::ValueAvg => Self::ValueAvg,
            CorrelationType::ValuePercentile => Self::ValuePercentile,
            CorrelationType::ValueMedian => Self::ValueMedian,
        }
    }

    /// The Sigma name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::EventCount => "event_count",
            Self::ValueCount => "value_count",
            Self::Temporal => "temporal",
            Self::TemporalOrdered => "temporal_ordered",
            Self::ValueSum => "value_sum",
            Self::ValueAvg => "value_avg",
            Self::ValuePercentile => "value_percentile",
            Self::ValueMedian => "value_median",
        }
    }

    pub(crate) const fn needs_field(self) -> bool {
        !matches!(
            self,
            Self::EventCount | Self::Temporal | Self::TemporalOrdered
        )
    }

    pub(crate) const fn is_temporal(self) -> bool {
        matches!(self, Self::Temporal | Self::TemporalOrdered)
    }
}

/// What a loaded rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "correlation", rename_all = "snake_case")]
pub enum RuleKind {
    /// A detection rule, matched event by event.
    Detection,
    /// A correlation rule of this type.
    Correlation(CorrelationKind),
}

/// A loaded rule's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// `id`, else `name`, else `title`: the key matches and state use.
    pub id: Arc<str>,
    /// `title`.
    pub title: Arc<str>,
    /// `level`.
    pub level: Option<Level>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `falsepositives`.
    pub falsepositives: Vec<String>,
    /// Detection or correlation.
    pub kind: RuleKind,
    /// Where it was loaded from.
    pub location: Location,
    /// Whether its matches are reported (false for rules only correlations
    /// read, unless one of them says `generate: true`).
    pub reported: bool,
}
