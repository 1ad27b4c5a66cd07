//! Scanner errors. A problem with one input is not an error of the scan:
//! it is reported in that input's [`crate::report::SourceReport`] and the
//! scan goes on.

use thiserror::Error;

/// What can stop a scan before it starts.
#[derive(Debug, Error)]
pub enum ScanError {
    /// A detector pattern does not compile.
    #[error("detector `{detector}`: pattern does not compile: {reason}")]
    Pattern {
        /// Detector id.
        detector: String,
        /// Compiler message.
        reason: String,
    },
    /// The scan config file is invalid.
    #[error("{path}: {reason}")]
    Config {
        /// Config file path.
        path: String,
        /// What is wrong, with line and column when known.
        reason: String,
    },
    /// A path to scan does not exist or cannot be listed.
    #[error("{path}: {reason}")]
    Input {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}
