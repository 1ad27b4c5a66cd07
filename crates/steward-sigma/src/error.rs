//! Errors: rule files that do not load, and state that does not restore.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

/// Where in a rule file something is: 1-based line and column when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file (or the name given to in-memory YAML).
    pub file: PathBuf,
    /// Line, 1-based.
    pub line: Option<usize>,
    /// Column, 1-based.
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// What is wrong with a rule.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The document is not valid YAML.
    #[error("not valid YAML: {0}")]
    Yaml(String),
    /// rsigma-parser rejected the document.
    #[error("{0}")]
    Parse(String),
    /// rsigma-parser accepted the document with a remark.
    #[error("{0}")]
    ParseWarning(String),
    /// rsigma-eval could not compile the detection.
    #[error("does not compile: {0}")]
    Compile(String),
    /// Another rule already has this id or name.
    #[error("duplicate rule id or name `{0}`")]
    Duplicate(String),
    /// A correlation or filter names a rule that is not loaded.
    #[error("references unknown rule `{0}`")]
    UnknownRule(String),
    /// Correlations refer to each other in a cycle.
    #[error("correlation refers back to itself through `{0}`")]
    Cycle(String),
    /// A field steward's access events do not have.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A Sigma feature or extension steward does not evaluate.
    #[error("{0} is not supported")]
    Unsupported(String),
    /// A correlation rule is incomplete.
    #[error("{0}")]
    Invalid(String),
}

/// A rule that did not load, or a remark about one that did.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub struct RuleError {
    /// Where.
    pub location: Location,
    /// The rule's title, and its id when it has one.
    pub rule: Option<String>,
    /// What.
    pub kind: RuleErrorKind,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule {rule}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl RuleError {
    /// A hint on how to fix it, kept apart from the message.
    #[must_use]
    pub fn hint(&self) -> Option<String> {
        match &self.kind {
            RuleErrorKind::UnknownField(_) => Some(format!(
                "access events have the fields {}",
                crate::fields::Field::ALL
                    .iter()
                    .map(|f| format!("`{}`", f.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            RuleErrorKind::UnknownRule(_) => {
                Some("correlations and filters name rules by `id` or `name`".to_owned())
            }
            _ => None,
        }
    }
}

/// A checkpoint that cannot be restored into this engine.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StateError {
    /// Written by a different state format.
    #[error("state version {found} is not {expected}")]
    Version {
        /// In the checkpoint.
        found: u32,
        /// This build's.
        expected: u32,
    },
    /// The checkpoint's contents contradict themselves.
    #[error("state for correlation `{0}` is inconsistent")]
    Inconsistent(String),
}

/// Makes an rsigma message read like steward's: lowercase first letter,
/// values in backticks rather than single quotes, no trailing period.
pub(crate) fn tidy(message: &str) -> String {
    // Multi-line parser reports (pest): the first line and the expectation.
    let joined;
    let message = if message.contains('\n') {
        let mut lines = message.lines();
        let first = lines
            .next()
            .unwrap_or_default()
            .trim_end_matches(|c: char| c == ':' || c.is_whitespace());
        let first = first
            .split("  -->")
            .next()
            .unwrap_or(first)
            .trim_end_matches([':', ' ']);
        let expected: Vec<&str> = lines.filter_map(|l| l.trim().strip_prefix("= ")).collect();
        joined = if expected.is_empty() {
            first.to_owned()
        } else {
            format!("{first}: {}", expected.join("; "))
        };
        joined.as_str()
    } else {
        message
    };
    let trimmed = message.trim().trim_end_matches('.');
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars();
    if let Some(first) = chars.next() {
        let rest: String = chars.clone().take(1).collect();
        // Keep acronyms (`YAML parse error`) as they are.
        if rest.chars().all(char::is_lowercase) {
            out.extend(first.to_lowercase());
        } else {
            out.push(first);
        }
    }
    out.extend(chars);
    if out.matches('\'').count().is_multiple_of(2) {
        out = out.replace('\'', "`");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_messages() {
        assert_eq!(tidy("Unknown modifier 'foo'"), "unknown modifier `foo`");
        assert_eq!(tidy("YAML parse error: x."), "YAML parse error: x");
        assert_eq!(tidy("it's fine"), "it's fine");
    }

    #[test]
    fn displays_location_and_rule() {
        let e = RuleError {
            location: Location {
                file: "rules/a.yml".into(),
                line: Some(12),
                column: Some(3),
            },
            rule: Some("`Mass reads`".into()),
            kind: RuleErrorKind::UnknownField("principal.name".into()),
        };
        assert_eq!(
            e.to_string(),
            "rules/a.yml:12:3: rule `Mass reads`: unknown field `principal.name`"
        );
        assert!(e.hint().is_some_and(|h| h.contains("`source.ip`")));
    }
}
