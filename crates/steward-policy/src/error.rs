//! The crate's error type.

use std::path::PathBuf;

/// What went wrong loading inputs or policies, or evaluating them.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid YAML or has unknown or missing fields.
    #[error("{file}:{line}:{column}: {message}")]
    Manifest {
        /// The manifest file.
        file: String,
        /// Line, 1-based (0 when the parser gave none).
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The manifest refers to something it does not declare.
    #[error("{file}:{line}: {message}")]
    Reference {
        /// The manifest file.
        file: String,
        /// Line of the referring item (0 when unknown).
        line: usize,
        /// What is missing.
        message: String,
    },
    /// A row of the HR roster is malformed.
    #[error("{file}:{line}: {message}")]
    Roster {
        /// The roster file.
        file: String,
        /// Line, 1-based.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A Rego file does not parse or compile.
    #[error("{file}:{line}:{column}: {message}")]
    Rego {
        /// The policy file.
        file: String,
        /// Line, 1-based.
        line: u32,
        /// Column, 1-based.
        column: u32,
        /// The parser's message (one line).
        message: String,
    },
    /// A Rego file is valid but not a steward rule.
    #[error("`{file}`: {message}")]
    Rule {
        /// The policy file.
        file: String,
        /// What is missing or wrong.
        message: String,
    },
    /// A policy directory could not be listed.
    #[error("cannot list policies in `{path}`")]
    PolicyDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Data given with `--data` is not a JSON object.
    #[error("`{file}`: {message}")]
    Data {
        /// The data file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Evaluation failed (a runtime error inside a rule).
    #[error("evaluating the policies failed: {message}")]
    Eval {
        /// regorus's message, located where it could be.
        message: String,
    },
    /// A rule produced a violation without the fields every decision needs.
    #[error("rule `{rule}` produced a malformed violation: {message}")]
    Violation {
        /// Rule id.
        rule: String,
        /// What is missing.
        message: String,
    },
}

/// Results of this crate.
pub type Result<T, E = PolicyError> = std::result::Result<T, E>;

/// Reads regorus's located message (`--> file:line:col` followed by the
/// source line, a caret and `error: message`) into its parts.
pub(crate) fn located(message: &str) -> Option<(String, u32, u32, String)> {
    let at = message.find("--> ")?;
    let rest = message.get(at + 4..)?;
    let head = rest.lines().next()?.trim();
    let mut parts = head.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_owned();
    let text = message
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or_else(|| message.lines().last().unwrap_or_default().trim())
        .to_owned();
    Some((file, line, column, text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_located_messages() {
        let m = "\n--> policies/x.rego:3:7\n  |\n3 | foo bar\n  |       ^\nerror: unexpected token";
        assert_eq!(
            super::located(m),
            Some((
                "policies/x.rego".to_owned(),
                3,
                7,
                "unexpected token".to_owned()
            ))
        );
        assert_eq!(super::located("no location"), None);
    }
}
