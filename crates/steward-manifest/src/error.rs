//! Errors and warnings. Every problem found in a manifest is a
//! [`Diagnostic`] that names the file, the line and column, and the field
//! (`systems[0].datasets[1].region`) it is about.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The manifest is not loaded.
    Error,
    /// The manifest is loaded; the problem is reported beside it.
    Warning,
}

/// One problem in a manifest, at a place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file as it was named (or the origin given to [`crate::parse`]).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Path of the field in the document, like `flows[2].to`; empty for
    /// problems with the document as a whole (YAML syntax).
    pub field: String,
    /// What is wrong, lower case, user values in backticks.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "`{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// A manifest that cannot be loaded.
#[derive(Debug, Error)]
pub enum ManifestError {
    /// The file cannot be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid YAML, does not have the manifest's shape,
    /// or breaks a rule of the vocabulary (unknown region, category, id).
    /// Holds every problem found, errors first, each with its line and
    /// column; never empty.
    #[error("{}", render(problems))]
    Invalid {
        /// The problems, in file order within each severity.
        problems: Vec<Diagnostic>,
    },
}

impl ManifestError {
    /// The problems of an invalid manifest (empty for a read error).
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::Read { .. } => &[],
            Self::Invalid { problems } => problems,
        }
    }
}

fn render(problems: &[Diagnostic]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let mut text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    if errors > 1 {
        text.push_str(&format!("\n{errors} errors in the manifest"));
    }
    text
}
