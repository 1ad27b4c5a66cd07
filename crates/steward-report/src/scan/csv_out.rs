//! One finding per CSV row.

use std::io::Write;

use steward_model::finding::Location;
use steward_scan::SourceReport;

/// Writes findings as CSV with a header row.
///
/// # Errors
/// I/O errors.
pub fn write_csv(w: &mut dyn Write, sources: &[SourceReport]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "source",
        "detector",
        "category",
        "jurisdiction",
        "confidence",
        "kind",
        "table",
        "field",
        "line_or_record",
        "offset",
        "values",
        "non_empty",
        "match_ratio",
        "excerpt",
        "fingerprint",
    ])?;
    for s in sources {
        for f in &s.findings {
            let (kind, table, field, line, offset) = match &f.location {
                Location::File {
                    line, byte_offset, ..
                } => (
                    "file",
                    String::new(),
                    String::new(),
                    line.to_string(),
                    byte_offset.to_string(),
                ),
                Location::Field {
                    record,
                    field,
                    offset,
                    ..
                } => (
                    "field",
                    String::new(),
                    field.clone(),
                    record.to_string(),
                    offset.map(|o| o.to_string()).unwrap_or_default(),
                ),
                Location::Column {
                    table,
                    column,
                    first_row,
                    ..
                } => (
                    "column",
                    table.clone(),
                    column.clone(),
                    first_row.clone().unwrap_or_default(),
                    String::new(),
                ),
            };
            let (values, non_empty, ratio) = f.column.as_ref().map_or_else(Default::default, |c| {
                (
                    c.values.to_string(),
                    c.non_empty.to_string(),
                    c.match_ratio.to_string(),
                )
            });
            out.write_record([
                s.path.as_str(),
                &f.detector,
                f.category.as_str(),
                f.jurisdiction
                    .map(|j| j.code().to_owned())
                    .unwrap_or_default()
                    .as_str(),
                &f.confidence.to_string(),
                kind,
                &table,
                &field,
                &line,
                &offset,
                &values,
                &non_empty,
                &ratio,
                &f.excerpt,
                &f.fingerprint.to_string(),
            ])?;
        }
    }
    out.flush()
}
