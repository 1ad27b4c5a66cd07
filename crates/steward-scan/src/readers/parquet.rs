//! Apache Parquet, column by column through Arrow record batches; every
//! type is rendered as text for the detectors.

use std::io::Read;

use arrow_array::RecordBatch;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::Ctx;
use super::table::{RowKey, TableScan};
use crate::report::{SourceReport, SourceStatus};

/// Largest compressed Parquet stream read into memory (Parquet needs random
/// access; plain files are read from disk).
const IN_MEMORY_LIMIT: u64 = 1024 * 1024 * 1024;

/// Scans a Parquet file given as a stream (compressed Parquet files).
pub fn scan(ctx: &Ctx<'_>, path: &str, reader: Box<dyn Read + Send>, report: &mut SourceReport) {
    let mut raw = Vec::new();
    if let Err(e) = reader.take(IN_MEMORY_LIMIT).read_to_end(&mut raw) {
        report.status = SourceStatus::Failed;
        report.error = Some(format!("cannot read: {e}"));
        return;
    }
    report.bytes = raw.len() as u64;
    scan_source(ctx, path, bytes::Bytes::from(raw), report);
}

/// Scans a Parquet file on disk.
pub fn scan_file(ctx: &Ctx<'_>, path: &str, file: std::fs::File, report: &mut SourceReport) {
    report.bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    scan_source(ctx, path, file, report);
}

fn scan_source<T: parquet::file::reader::ChunkReader + 'static>(
    ctx: &Ctx<'_>,
    path: &str,
    source: T,
    report: &mut SourceReport,
) {
    let builder =
        match ParquetRecordBatchReaderBuilder::try_new(steward_io::parquet::EofGuarded(source)) {
            Ok(b) => b,
            Err(e) => {
                report.status = SourceStatus::Failed;
                report.error = Some(format!("not a readable Parquet file: {e}"));
                return;
            }
        };
    let columns: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let reader = match builder.with_batch_size(8192).build() {
        Ok(r) => r,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("cannot read Parquet row groups: {e}"));
            return;
        }
    };
    let mut table = TableScan::new(ctx, path, "", columns);
    for batch in reader {
        match batch {
            Ok(b) => {
                if !rows(&mut table, &b, report) {
                    break;
                }
            }
            Err(e) => {
                report.status = SourceStatus::Failed;
                report.error = Some(format!("read stopped after {} rows: {e}", table.rows()));
                break;
            }
        }
    }
    (ctx.progress)(report.bytes);
    table.finish(report);
}

/// Classifies a batch; false when the sample is full.
fn rows(table: &mut TableScan<'_, '_>, batch: &RecordBatch, report: &mut SourceReport) -> bool {
    let options = FormatOptions::default().with_null("");
    let formatters: Vec<Option<ArrayFormatter<'_>>> = batch
        .columns()
        .iter()
        .map(|a| ArrayFormatter::try_new(a.as_ref(), &options).ok())
        .collect();
    if formatters.iter().any(Option::is_none) {
        report
            .problems
            .push("a column type cannot be shown as text; it was skipped".to_owned());
    }
    let mut cells: Vec<String> = vec![String::new(); formatters.len()];
    for r in 0..batch.num_rows() {
        for (cell, f) in cells.iter_mut().zip(&formatters) {
            cell.clear();
            if let Some(f) = f {
                use std::fmt::Write as _;
                let _ = write!(cell, "{}", f.value(r));
            }
        }
        let row_no = table.rows() + 1;
        table.row(
            &|| RowKey::Row(row_no),
            cells.iter().map(|c| Some(c.as_str())),
        );
        if table.full() {
            return false;
        }
    }
    true
}
