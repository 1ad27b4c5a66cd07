//! Errors of the state store.

use std::path::PathBuf;

/// A state-store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The state file could not be opened or created.
    #[error("cannot open the state database `{path}`")]
    Open {
        /// Path of the file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The folder for the state file could not be created.
    #[error("cannot create the state folder `{path}`")]
    CreateDir {
        /// Path of the folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The schema could not be brought to the current version.
    #[error("cannot migrate the state database to schema version {version}")]
    Migrate {
        /// The version the code expects.
        version: usize,
        /// The cause.
        #[source]
        source: rusqlite_migration::Error,
    },
    /// The state file was written by a newer steward.
    #[error(
        "the state database has schema version {found}, newer than this steward's {supported}; upgrade steward"
    )]
    TooNew {
        /// Version in the file.
        found: usize,
        /// Newest version this build knows.
        supported: usize,
    },
    /// A query failed.
    #[error("state database query failed: {context}")]
    Query {
        /// What was being done.
        context: &'static str,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored JSON value could not be encoded or decoded.
    #[error("state database holds malformed JSON in {context}")]
    Json {
        /// Where.
        context: &'static str,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}
