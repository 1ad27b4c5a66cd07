//! What a rule reports: [`SigmaMatch`], independent of how it is printed.

use std::sync::Arc;

use serde::Serialize;

use crate::ruleset::{CorrelationKind, Level};

/// A detection or correlation rule that matched.
///
/// Detection matches carry the one event that matched and no group.
/// Correlation matches are reported when the condition starts to hold for a
/// group, at the event time of the hit that made it hold, with the group's
/// `group-by` values and a sample of the newest event ids in the window. A
/// group is reported once per episode: an episode ends when the condition
/// has not held at any of the group's hits for a whole timespan (so a value
/// hovering at the threshold does not report on every crossing).
///
/// Group values are whatever the rule groups by (principal ids, IPs): they
/// are not masked here; masking is the report writer's decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigmaMatch {
    /// The rule's id (else its name, else its title).
    pub rule_id: Arc<str>,
    /// The rule's title.
    pub title: Arc<str>,
    /// The rule's level.
    pub level: Option<Level>,
    /// Event time of the match, epoch milliseconds.
    pub time_ms: i64,
    /// `group-by` fields and their values (correlations only).
    pub group: Vec<(String, String)>,
    /// Ids of matching events: the event for a detection, the newest few in
    /// the window for a correlation (oldest first).
    pub event_ids: Vec<String>,
    /// Correlation details; `None` for a detection.
    pub correlation: Option<CorrelationDetail>,
}

/// What a correlation measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationDetail {
    /// The correlation type.
    pub kind: CorrelationKind,
    /// The value compared with the condition (count, distinct count, sum,
    /// mean, percentile, or number of referenced rules seen).
    pub value: f64,
    /// Start of the window, epoch milliseconds (`time_ms − timespan`).
    pub window_start_ms: i64,
    /// Whether `value` is an approximation (a cap was passed; see
    /// [`crate::Caps`]).
    pub approximate: bool,
}

impl SigmaMatch {
    /// Whether this is a correlation match.
    #[must_use]
    pub const fn is_correlation(&self) -> bool {
        self.correlation.is_some()
    }

    /// The value of a group-by field.
    #[must_use]
    pub fn group_value(&self, field: &str) -> Option<&str> {
        self.group
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }
}
