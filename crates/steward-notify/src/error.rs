//! Errors. A regime, calendar or facts file that cannot be read names the
//! file and, where the parser knows it, the line and column.

use thiserror::Error;

/// A data file (regime, calendar, facts, people) that cannot be used: file,
/// line and column where known.
pub type DataError = steward_model::LocatedError;

/// A YAML error, moved to the value it quotes: serde_norway places errors
/// raised while checking a scalar (a time zone, a category key) at the
/// enclosing block, so the first line from there on that holds the quoted
/// value is the better place.
pub(crate) fn yaml_error_in(file: &str, text: &str, e: &serde_norway::Error) -> DataError {
    let mut err = DataError::from_parser(
        file,
        &e.to_string(),
        e.location().map(|l| (l.line(), l.column())),
    );
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
pub(crate) fn json_error(file: &str, e: &serde_json::Error) -> DataError {
    DataError::from_parser(file, &e.to_string(), Some((e.line(), e.column())))
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
