//! Errors of the generator.

use std::path::PathBuf;

/// Generating the platform failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A configuration value is out of range.
    #[error("invalid {field} `{value}`: {reason}")]
    InvalidConfig {
        /// The option.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        reason: &'static str,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{path}`")]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The customer database could not be written.
    #[error("cannot write the SQLite database `{path}`")]
    Sqlite {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A Parquet file could not be written.
    #[error("cannot write the Parquet file `{path}`")]
    Parquet {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A JSON or YAML document could not be produced.
    #[error("cannot serialise `{path}`: {message}")]
    Serialize {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Result of the generator.
pub type Result<T> = std::result::Result<T, SynthError>;
