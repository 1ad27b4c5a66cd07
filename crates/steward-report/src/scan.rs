//! Scan results in every output format.
//!
//! - JSON: one object `{ "tool", "version", "summary", "sources": [...] }`
//!   where each source is a [`SourceReport`].
//! - JSON Lines: one finding per line, each with its `source` path.
//! - CSV: one finding per row (location flattened into columns).
//! - SARIF 2.1.0: one rule per detector (stable ids), one result per
//!   finding, `partialFingerprints["steward/v1"]` holding the keyed
//!   fingerprint.

mod csv_out;
mod sarif;
mod summary;

use std::io::Write;

use serde::Serialize;
use steward_scan::SourceReport;

pub use csv_out::write_csv;
pub use sarif::write_sarif;
pub use summary::{Summary, num as thousands, write_terminal};

/// Writes the whole scan as one JSON document.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_json(
    w: &mut dyn Write,
    summary: &Summary,
    sources: &[SourceReport],
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        tool: &'static str,
        version: &'static str,
        summary: &'a Summary,
        sources: &'a [SourceReport],
    }
    let doc = Doc {
        tool: "steward",
        version: env!("CARGO_PKG_VERSION"),
        summary,
        sources,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    w.write_all(b"\n")
}

/// Writes one finding per line.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_jsonl(w: &mut dyn Write, sources: &[SourceReport]) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        source: &'a str,
        #[serde(flatten)]
        finding: &'a steward_model::finding::Finding,
    }
    for s in sources {
        for f in &s.findings {
            serde_json::to_writer(
                &mut *w,
                &Line {
                    source: &s.path,
                    finding: f,
                },
            )?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}
