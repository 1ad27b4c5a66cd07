//! steward's log input: access logs of any shape read as normalised
//! [`AccessEvent`](steward_model::event::AccessEvent)s.
//!
//! - [`Mapping`]: a YAML field mapping, compiled once. Eight are built in
//!   ([`Mapping::builtin_names`]): the synthetic platform's gateway and auth
//!   logs, OCSF API Activity (6003) and Datastore Activity (6005), AWS
//!   CloudTrail, nginx and Envoy JSON access logs, and pgaudit.
//! - [`LogSource`]: one input (file, stream or followed file) through a
//!   mapping. JSON Lines, JSON documents (CloudTrail's `Records` files),
//!   CSV and Parquet; gzip and zstd found by magic bytes. Memory does not
//!   grow with the input. Iterate it, or use [`LogSource::read_into`] to
//!   reuse one event's buffers.
//! - [`merge_sources`]: many sources in event-time order.
//! - [`LogSource::follow`]: a growing file, `tail -F` style; [`LogSource::stdin`]:
//!   a live stream.
//!
//! A record that does not parse or map is a [`RecordError`] naming the file,
//! line, target field and source path (never the value); it is counted in
//! the source's [`RecordReport`] and reading goes on.
//!
//! ```
//! use steward_logs::{LogSource, Mapping, OpenOptions};
//!
//! let mapping = Mapping::builtin("steward-gateway").unwrap();
//! let log = concat!(
//!     r#"{"ts":"2025-04-14T03:06:40.123Z","request_id":"r1","#,
//!     r#""http":{"method":"GET","route":"/api/v1/members/{id}/addresses","status":200},"#,
//!     r#""client":{"ip":"203.0.113.7","geo":"CN"},"target":{"member_id":42}}"#,
//!     "\n{\"ts\":\n",
//! );
//! let mut source =
//!     LogSource::from_reader("gateway.jsonl", log.as_bytes(), &mapping, OpenOptions::default())
//!         .unwrap();
//! let event = source.next().unwrap().unwrap();
//! assert_eq!(event.time_ms, 1_744_600_000_123);
//! assert_eq!(event.subjects, ["42"]);
//! assert_eq!(event.record_types, ["address_book"]);
//! let error = source.next().unwrap().unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "gateway.jsonl:2: not parsed at byte 6: record ends where a value was expected"
//! );
//! assert!(source.next().is_none());
//! assert_eq!(source.counters().parse_errors, 1);
//! ```

mod csv;
mod error;
mod follow;
mod input;
mod json;
pub mod mapping;
mod merge;
mod parquet;
mod source;
mod value;

pub use error::{MappingError, RecordError, RecordErrorKind, SourceError};
pub use follow::{FollowOptions, StartAt};
pub use input::{Compression, InputFormat};
pub use mapping::Mapping;
pub use merge::{MergeOptions, MergeState, Merged, merge_sources, resume_sources};
pub use source::{Counters, LogSource, OpenOptions, Position, RecordReport};

/// Follows a growing file with default [`OpenOptions`]; see
/// [`LogSource::follow`].
///
/// # Errors
/// As [`LogSource::follow`].
pub fn follow(
    path: impl AsRef<std::path::Path>,
    mapping: &Mapping,
    options: FollowOptions,
) -> Result<LogSource, SourceError> {
    LogSource::follow(path, mapping, options, OpenOptions::default())
}
