//! Errors. A regime, calendar or facts file that cannot be read names the
//! file and, where the parser knows it, the line and column.

use thiserror::Error;

/// A data file (regime, calendar, facts, people) that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: {message}", at(*line, *column))]
pub struct DataError {
    /// The file (or the built-in file's name, `regimes/kr-pipa.yaml`).
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl DataError {
    /// An error about a whole file.
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a line of a file.
    pub(crate) fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }

    /// A YAML parse or shape error, with the location serde_norway gives.
    pub(crate) fn from_yaml(file: &str, e: &serde_norway::Error) -> Self {
        let location = e.location();
        // serde_norway appends " at line L column C"; the location is shown
        // once, in front.
        let mut message = e.to_string();
        if let Some(at) = &location {
            let suffix = format!(" at line {} column {}", at.line(), at.column());
            if let Some(i) = message.find(&suffix) {
                message.replace_range(i..i + suffix.len(), "");
            }
        }
        Self {
            file: file.to_owned(),
            line: location.as_ref().map(serde_norway::Location::line),
            column: location.as_ref().map(serde_norway::Location::column),
            message,
        }
    }

    /// A YAML error, moved to the value it quotes: serde_norway places
    /// errors raised while checking a scalar (a time zone, a category key)
    /// at the enclosing block, so the first line from there on that holds
    /// the quoted value is the better place.
    pub(crate) fn from_yaml_in(file: &str, text: &str, e: &serde_norway::Error) -> Self {
        let mut err = Self::from_yaml(file, e);
        let quoted = err
            .message
            .split('`')
            .nth(1)
            .filter(|q| !q.is_empty())
            .map(str::to_owned);
        if let Some(q) = quoted {
            let from = err.line.unwrap_or(1).saturating_sub(1);
            let hit = text
                .lines()
                .enumerate()
                .skip(from)
                .find_map(|(i, l)| l.find(q.as_str()).map(|c| (i + 1, c + 1)));
            if let Some((line, column)) = hit {
                err.line = Some(line);
                err.column = Some(column);
            }
        }
        err
    }

    /// A JSON error, with its line and column.
    pub(crate) fn from_json(file: &str, e: &serde_json::Error) -> Self {
        let mut message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        if let Some(i) = message.find(&suffix) {
            message.replace_range(i..i + suffix.len(), "");
        }
        Self {
            file: file.to_owned(),
            line: (e.line() > 0).then_some(e.line()),
            column: (e.column() > 0).then_some(e.column()),
            message,
        }
    }
}

/// What can go wrong in this crate.
#[derive(Debug, Error)]
pub enum NotifyError {
    /// A data file is malformed.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A file or folder cannot be read or written.
    #[error("`{path}`: {source}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Deadline arithmetic went outside what the calendar or time library
    /// covers.
    #[error("deadline of `{regime}`/`{recipient}`: {message}")]
    Deadline {
        /// Regime id.
        regime: String,
        /// Recipient id.
        recipient: String,
        /// What went wrong.
        message: String,
    },
    /// Writing an output failed.
    #[error("cannot write {what}: {message}")]
    Write {
        /// What was being written.
        what: String,
        /// Why.
        message: String,
    },
}

impl NotifyError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
