//! Decisions and the rules that make them.

use serde::{Deserialize, Serialize};

/// How bad a violation is; maps to SARIF's `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A legal duty is not met.
    Error,
    /// Likely a problem; check it.
    Warning,
    /// Worth knowing.
    Note,
}

impl Severity {
    /// Lowercase name (`error`, `warning`, `note`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// A rule's metadata, declared in its file as `meta := {...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Stable id (`POL-KR-28-8`).
    pub id: String,
    /// Pack: the rule file's folder (`transfer`, `keys`, `data`,
    /// `retention`) or `meta.pack`.
    pub pack: String,
    /// One line saying what the rule checks.
    pub title: String,
    /// Severity of its violations.
    pub severity: Severity,
    /// The law, regulation or standard it applies.
    pub citation: String,
    /// Where the citation can be read.
    pub source: String,
    /// What to do about a violation.
    pub fix: String,
    /// The rule file.
    pub file: String,
}

/// One violation with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Stable rule id.
    pub rule_id: String,
    /// Pack of the rule.
    pub pack: String,
    /// Severity.
    pub severity: Severity,
    /// The rule's title.
    pub title: String,
    /// Id of what is in violation: a flow, dataset, system or key id, or a
    /// scanned path the manifest does not know.
    pub resource: String,
    /// `flow`, `dataset`, `system`, `key` or `path`.
    pub kind: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The facts that triggered the rule.
    pub facts: serde_json::Value,
    /// The rule's citation.
    pub citation: String,
    /// Where the citation can be read.
    pub source: String,
    /// Suggested fix.
    pub fix: String,
    /// Line of the resource in the manifest, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}
