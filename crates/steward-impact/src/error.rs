//! Errors of the impact engine. No message carries a personal-data value:
//! files are named with line numbers, selectors by their masked description.

use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ImpactError {
    /// A named input file does not exist.
    #[error("{what} `{path}` does not exist")]
    Missing {
        /// What the file is (access log, issuance log, customer database…).
        what: &'static str,
        /// The path.
        path: PathBuf,
    },
    /// No access log was given.
    #[error("no access log given: pass `--platform DIR` or `--logs FILE`")]
    NoLogs,
    /// A log's format is not one the engine reads.
    #[error(
        "cannot read `{path}`: expected JSON Lines (`.jsonl`, `.ndjson`, `.json`) or Parquet (`.parquet`){hint}"
    )]
    Format {
        /// The path.
        path: PathBuf,
        /// A hint (compressed logs).
        hint: &'static str,
    },
    /// The selector is empty.
    #[error(
        "nothing selected: give a principal, token, signing key, IP, route or time window, or `--incident`/`--alert`"
    )]
    EmptySelector,
    /// The selector is malformed.
    #[error("invalid selector: {0}")]
    Selector(String),
    /// `--forged-only` needs the issuance log.
    #[error("`--forged-only` needs the token-issuance log (`--issuance FILE`)")]
    NoIssuance,
    /// The selector matched no access event.
    #[error("the selector `{selector}` matched no access event in {logs}")]
    NoMatch {
        /// The selector's (masked) description.
        selector: String,
        /// The logs searched.
        logs: String,
    },
    /// The query engine failed.
    #[error("query failed: {0}")]
    Query(#[from] datafusion::error::DataFusionError),
    /// An Arrow operation on query results failed.
    #[error("query result: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    /// A file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A record of a data file is malformed.
    #[error("`{path}`:{line}:{column}: {message}")]
    Record {
        /// The path.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong (never the value).
        message: String,
    },
    /// The customer database could not be read.
    #[error("cannot read the customer database `{path}`")]
    Sqlite {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The manifest could not be read.
    #[error("cannot read the manifest `{path}`: {message}")]
    Manifest {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Writing the people list failed.
    #[error("cannot write the people list")]
    Write(#[source] std::io::Error),
}

/// Result of the impact engine.
pub type Result<T> = std::result::Result<T, ImpactError>;
