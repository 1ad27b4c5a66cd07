//! Errors of the hunt pipeline.

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum HuntError {
    /// A native detector failed to load, save or restore.
    #[error(transparent)]
    Detect(#[from] steward_detect::DetectError),
    /// A log could not be opened.
    #[error(transparent)]
    Source(#[from] steward_logs::SourceError),
    /// A mapping could not be loaded.
    #[error(transparent)]
    Mapping(#[from] steward_logs::MappingError),
    /// The state database failed.
    #[error(transparent)]
    Store(#[from] steward_store::StoreError),
    /// A checkpoint does not fit.
    #[error("checkpoint not usable: {0}")]
    State(String),
    /// An input argument is malformed.
    #[error("{0}")]
    Input(String),
    /// Writing output failed.
    #[error("writing {what}: {source}")]
    Write {
        /// What was being written.
        what: String,
        /// Cause.
        source: std::io::Error,
    },
}
