//! steward's personal-data scanner.
//!
//! - [`detectors`]: one detector per identifier, under stable ids.
//! - [`engine`]: all patterns in one lazy-DFA pass, then validation,
//!   context and allow-list checks.
//! - [`readers`]: one reader per format (text, CSV/TSV, JSON Lines, Parquet,
//!   XLSX, SQLite, PostgreSQL; gzip/zstd around any file format).
//! - [`scanner`]: walks paths, runs readers in parallel and returns one
//!   [`report::SourceReport`] per input.
//!
//! ```
//! use steward_scan::{detectors, engine::{Engine, EngineOptions}};
//!
//! let engine = Engine::new(detectors::builtin(), EngineOptions::default()).unwrap();
//! let mut cache = engine.cache();
//! let mut hits = Vec::new();
//! engine.find(&mut cache, "전화: 010-0132-8261".as_bytes(), &[], &mut hits);
//! assert_eq!(engine.detectors()[hits[0].detector].id, "PHONE");
//! ```

pub mod config;
pub mod detector;
pub mod detectors;
pub mod engine;
pub mod error;

pub use error::ScanError;
pub mod readers;
pub mod reference;
pub mod report;
pub mod scanner;

pub use report::{SourceReport, SourceStatus};
pub use scanner::{Collected, Input, ScanOptions, Scanner, Sink};
