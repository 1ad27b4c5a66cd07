//! CSV and TSV with a header row. Rows with the wrong number of fields
//! are classified as far as they go and counted as malformed.

use std::io::Read;

use super::Ctx;
use super::table::{RowKey, TableScan};
use crate::report::{SourceReport, SourceStatus};

/// Scans a delimited stream.
pub fn scan(
    ctx: &Ctx<'_>,
    path: &str,
    delimiter: u8,
    reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    let counting = Counting {
        inner: reader,
        progress: ctx.progress,
        bytes: 0,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(counting);
    let mut record = csv::ByteRecord::new();
    let header: Vec<String> = match rdr.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_owned())
            .collect(),
        Ok(false) => return,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("cannot read the header row: {e}"));
            return;
        }
    };
    let width = header.len();
    let mut table = TableScan::new(ctx, path, "", header);
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    report.status = SourceStatus::Failed;
                    report.error = Some(format!("read stopped at line {line}: {e}"));
                    break;
                }
                report.malformed(|| format!("line {line}: {e}"));
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != width {
            report
                .malformed(|| format!("line {line}: {} fields, header has {width}", record.len()));
        }
        let mut bad_utf8 = false;
        let cells: Vec<Option<&str>> = record
            .iter()
            .map(|f| {
                std::str::from_utf8(f).map_or_else(
                    |_| {
                        bad_utf8 = true;
                        None
                    },
                    Some,
                )
            })
            .collect();
        if bad_utf8 {
            report.malformed(|| format!("line {line}: a field is not valid UTF-8 (skipped)"));
        }
        table.row(&|| RowKey::Line(line), cells);
        if table.full() {
            break;
        }
    }
    report.bytes = rdr.get_ref().bytes;
    table.finish(report);
}

/// Counts bytes read for progress.
struct Counting<'a, R> {
    inner: R,
    progress: &'a (dyn Fn(u64) + Sync),
    bytes: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        (self.progress)(n as u64);
        Ok(n)
    }
}
