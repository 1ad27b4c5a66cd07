//! Opening inputs: compression found by magic bytes (not by name), and the
//! record format found from the first bytes, the mapping and the name.

use std::io::{BufRead, BufReader, Read};

pub use steward_io::Compression;

/// How the records of an input are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON value per line.
    JsonLines,
    /// JSON documents, each a record or a wrapper holding an array of
    /// records (CloudTrail's `{"Records": [...]}`), one after another.
    JsonDocuments,
    /// Comma- or tab-separated values.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl InputFormat {
    /// Name for reports.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::JsonDocuments => "json",
            Self::Csv => "csv",
            Self::Parquet => "parquet",
        }
    }
}

/// Bytes read ahead to sniff the compression and format.
const SNIFF: usize = 512;

/// A decompressed byte stream whose first bytes are known.
pub(crate) struct Opened {
    pub reader: BufReader<Box<dyn Read + Send>>,
    pub compression: Compression,
}

pub(crate) use steward_io::read_up_to;

/// Undoes gzip or zstd found by magic bytes; returns the stream buffered so
/// that its first bytes can be peeked.
pub(crate) fn decompress(raw: Box<dyn Read + Send>, capacity: usize) -> std::io::Result<Opened> {
    let (inner, compression) = steward_io::decompress(raw)?;
    Ok(Opened {
        reader: BufReader::with_capacity(capacity, inner),
        compression,
    })
}

/// The first bytes of a buffered stream, without consuming them (up to the
/// buffer's first fill).
pub(crate) fn peek(reader: &mut BufReader<Box<dyn Read + Send>>) -> std::io::Result<Vec<u8>> {
    let buf = reader.fill_buf()?;
    Ok(buf.get(..SNIFF.min(buf.len())).unwrap_or_default().to_vec())
}

/// Whether a file starts with Parquet's magic.
#[must_use]
pub(crate) fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// The record format of a (decompressed) text input: JSON when the first
/// non-blank byte opens a JSON value, CSV when the mapping or the name says
/// so, JSON Lines otherwise (and lines that are not JSON are then reported).
pub(crate) fn sniff_text(
    head: &[u8],
    name: &str,
    mapping_csv: bool,
    mapping_documents: bool,
) -> InputFormat {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let json = matches!(first, Some(b'{' | b'['));
    let lower = name.to_ascii_lowercase();
    let base = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".zst"))
        .or_else(|| lower.strip_suffix(".zstd"))
        .unwrap_or(&lower);
    let csv_name = base.ends_with(".csv") || base.ends_with(".tsv");
    if json && !(csv_name && mapping_csv) {
        if mapping_documents || first == Some(b'[') {
            InputFormat::JsonDocuments
        } else {
            InputFormat::JsonLines
        }
    } else if mapping_csv || csv_name {
        InputFormat::Csv
    } else {
        InputFormat::JsonLines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_format() {
        assert_eq!(
            sniff_text(b"  {\"a\":1}\n", "x.log", false, false),
            InputFormat::JsonLines
        );
        assert_eq!(
            sniff_text(b"{\"Records\":[", "x.json.gz", false, true),
            InputFormat::JsonDocuments
        );
        assert_eq!(
            sniff_text(b"[{\"a\":1}]", "x", false, false),
            InputFormat::JsonDocuments
        );
        assert_eq!(
            sniff_text(b"2025-04-09 10:00:00 UTC,a", "pg.log", true, false),
            InputFormat::Csv
        );
        assert_eq!(
            sniff_text(b"time,user", "x.CSV.zst", false, false),
            InputFormat::Csv
        );
        assert_eq!(
            sniff_text(b"garbage", "x", false, false),
            InputFormat::JsonLines
        );
        assert_eq!(
            sniff_text(b"\xef\xbb\xbf{\"a\":1}", "x", false, false),
            InputFormat::JsonLines
        );
        assert!(is_parquet(b"PAR1...."));
    }
}
