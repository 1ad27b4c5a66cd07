//! Errors. A bad mapping or an unreadable input stops before any record is
//! read ([`MappingError`], [`SourceError`]); a bad record does not stop a
//! run: it becomes a [`RecordError`], is counted in the source's
//! [`crate::RecordReport`] and the next record is read.
//!
//! No message carries a value read from a log: record errors name the
//! mapped field, the source path and the position, never the content.

use std::fmt;
use std::sync::Arc;

use thiserror::Error;

/// A mapping that cannot be loaded or compiled: file, line and column
/// where known.
pub type MappingError = steward_model::LocatedError;

/// A mapping file's YAML error, at the place serde_norway gives.
pub(crate) fn yaml_error(file: &str, e: &serde_norway::Error) -> MappingError {
    MappingError::from_parser(
        file,
        &e.to_string(),
        e.location().map(|l| (l.line(), l.column())),
    )
}

/// An input that cannot be opened or read as a log.
#[derive(Debug, Error)]
pub enum SourceError {
    /// The file cannot be opened or its first bytes read.
    #[error("{path}: cannot open: {source}")]
    Open {
        /// The input.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input's format cannot be read the way it was asked for.
    #[error("{path}: {reason}")]
    Unsupported {
        /// The input.
        path: String,
        /// Why.
        reason: String,
    },
}

/// One record that could not be read or mapped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}:{line}: {kind}")]
pub struct RecordError {
    /// The input the record came from.
    pub file: Arc<str>,
    /// 1-based line where the record starts (the row for Parquet).
    pub line: u64,
    /// 1-based ordinal of the record in its input.
    pub record: u64,
    /// What went wrong.
    pub kind: RecordErrorKind,
}

/// What went wrong with a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordErrorKind {
    /// The record is not well-formed (JSON syntax, CSV quoting).
    Parse {
        /// 0-based byte offset inside the record.
        offset: u64,
        /// Why.
        reason: &'static str,
    },
    /// A mapped field is missing or its value does not convert.
    Field {
        /// The target field (`time_ms`, `source.ip`, …).
        field: &'static str,
        /// The source path or column the value came from, if any.
        path: Option<Arc<str>>,
        /// Why.
        reason: &'static str,
    },
    /// The record is longer than the reader accepts; it was skipped.
    TooLong {
        /// The limit in bytes.
        limit: u64,
    },
    /// The input could not be read further (I/O, corrupt compression,
    /// corrupt Parquet); the rest of this input is lost.
    Read {
        /// The reader's message.
        reason: String,
    },
}

impl RecordErrorKind {
    /// A short stable name for counting: `parse`, `field`, `too_long`, `read`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "parse",
            Self::Field { .. } => "field",
            Self::TooLong { .. } => "too_long",
            Self::Read { .. } => "read",
        }
    }
}

impl fmt::Display for RecordErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parse { offset, reason } => write!(f, "not parsed at byte {offset}: {reason}"),
            Self::Field {
                field,
                path: Some(path),
                reason,
            } => write!(f, "field `{field}` from `{path}`: {reason}"),
            Self::Field {
                field,
                path: None,
                reason,
            } => write!(f, "field `{field}`: {reason}"),
            Self::TooLong { limit } => write!(f, "record longer than {limit} bytes, skipped"),
            Self::Read { reason } => write!(f, "input unreadable from here: {reason}"),
        }
    }
}
