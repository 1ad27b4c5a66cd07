//! Severity, shared by Sigma rules, native detectors, alerts and incidents.

use serde::{Deserialize, Serialize};

/// How bad an alert is (Sigma's `level` names).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// `informational`.
    Informational,
    /// `low`.
    Low,
    /// `medium`.
    #[default]
    Medium,
    /// `high`.
    High,
    /// `critical`.
    Critical,
}

impl Severity {
    /// The lower-case name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Informational => "informational",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// Parses a lower-case name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "informational" => Self::Informational,
            "low" => Self::Low,
            "medium" => Self::Medium,
            "high" => Self::High,
            "critical" => Self::Critical,
            _ => return None,
        })
    }

    /// OCSF `severity_id` (1 informational … 5 critical).
    #[must_use]
    pub const fn ocsf_id(self) -> u8 {
        match self {
            Self::Informational => 1,
            Self::Low => 2,
            Self::Medium => 3,
            Self::High => 4,
            Self::Critical => 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order() {
        for s in [
            Severity::Informational,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse("severe"), None);
        assert_eq!(Severity::High.ocsf_id(), 4);
    }
}
