//! One reader per format. Each reads its input to the end (or as far as it
//! can), classifies structured data per column, reports text matches one by
//! one, and records what it could not read in the input's report.

pub mod batch;
pub mod chunked;
pub mod csv;
pub mod json;
pub mod parquet;
pub mod postgres;
pub mod sqlite;
pub mod table;
pub mod text;
pub mod xlsx;

use std::io::Read;
use std::path::Path;

use crate::engine::Engine;
use crate::report::{FindingMaker, SourceReport};

/// What every reader needs.
pub struct Ctx<'a> {
    /// Compiled detectors.
    pub engine: &'a Engine,
    /// Finding builder (masking, fingerprints).
    pub maker: FindingMaker<'a>,
    /// Findings listed per input.
    pub cap: usize,
    /// Rows read per table or column, `None` for all.
    pub sample: Option<u64>,
    /// Called with bytes read, for progress bars.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("cap", &self.cap)
            .field("sample", &self.sample)
            .finish_non_exhaustive()
    }
}

/// Formats steward reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text and logs.
    Text,
    /// Comma- or tab-separated values.
    Csv {
        /// Field delimiter.
        delimiter: u8,
    },
    /// One JSON document per line.
    JsonLines,
    /// One JSON document.
    Json,
    /// Apache Parquet.
    Parquet,
    /// Excel or OpenDocument spreadsheet.
    Spreadsheet,
    /// SQLite database file.
    Sqlite,
}

impl Format {
    /// Name used in reports.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Csv { delimiter: b'\t' } => "tsv",
            Self::Csv { .. } => "csv",
            Self::JsonLines => "jsonl",
            Self::Json => "json",
            Self::Parquet => "parquet",
            Self::Spreadsheet => "xlsx",
            Self::Sqlite => "sqlite",
        }
    }

    /// The format a file name implies, ignoring a compression suffix.
    #[must_use]
    pub fn from_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        let base = lower
            .strip_suffix(".gz")
            .or_else(|| lower.strip_suffix(".zst"))
            .or_else(|| lower.strip_suffix(".zstd"))
            .unwrap_or(&lower);
        let ext = base.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "csv" => Self::Csv { delimiter: b',' },
            "tsv" | "tab" => Self::Csv { delimiter: b'\t' },
            "jsonl" | "ndjson" => Self::JsonLines,
            "json" => Self::Json,
            "parquet" | "pq" => Self::Parquet,
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Self::Spreadsheet,
            "sqlite" | "sqlite3" | "db" | "db3" => Self::Sqlite,
            _ => Self::Text,
        }
    }
}

pub use steward_io::Compression;

/// Opens a file, undoing gzip or zstd compression found by its magic bytes.
///
/// # Errors
/// I/O errors opening the file or starting the decoder.
pub fn open(path: &Path) -> std::io::Result<(Box<dyn Read + Send>, Compression)> {
    steward_io::decompress(Box::new(std::fs::File::open(path)?))
}

pub use steward_io::read_up_to;

/// Scans one input read from `reader` in the given format.
pub fn scan_stream(
    ctx: &Ctx<'_>,
    path: &str,
    format: Format,
    reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    match format {
        Format::Text => text::scan(ctx, path, reader, report),
        Format::JsonLines => json::scan_lines(ctx, path, reader, report),
        Format::Json => json::scan_document(ctx, path, reader, report),
        Format::Csv { delimiter } => csv::scan(ctx, path, delimiter, reader, report),
        Format::Parquet => parquet::scan(ctx, path, reader, report),
        Format::Spreadsheet => xlsx::scan(ctx, path, reader, report),
        Format::Sqlite => sqlite::scan_stream(ctx, path, reader, report),
    }
}
