//! Errors of loading the context and of checkpoints.

use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// A context file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The manifest is not valid YAML for the manifest schema.
    #[error("{path}: {message}")]
    Manifest {
        /// File.
        path: PathBuf,
        /// What and where (line and column when known).
        message: String,
    },
    /// A roster row is malformed.
    #[error("{path}:{line}: {message}")]
    Roster {
        /// File.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong (field name, never the value).
        message: String,
    },
    /// A detector configuration value is out of range.
    #[error("detector {detector}: {message}")]
    Config {
        /// Detector id.
        detector: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A saved state does not fit this detector.
    #[error("detector {detector}: saved state not usable: {message}")]
    State {
        /// Detector id.
        detector: &'static str,
        /// Why.
        message: String,
    },
}
