//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) through calamine: every sheet
//! is a table whose first row names the columns.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::Ctx;
use super::table::TableScan;
use crate::report::{SourceReport, SourceStatus};

/// Largest spreadsheet read (they are zip archives read into memory).
const LIMIT: u64 = 512 * 1024 * 1024;

/// Scans a spreadsheet.
pub fn scan(ctx: &Ctx<'_>, path: &str, reader: Box<dyn Read + Send>, report: &mut SourceReport) {
    let mut raw = Vec::new();
    if let Err(e) = reader.take(LIMIT).read_to_end(&mut raw) {
        report.status = SourceStatus::Failed;
        report.error = Some(format!("cannot read: {e}"));
        return;
    }
    report.bytes = raw.len() as u64;
    (ctx.progress)(report.bytes);
    let mut book = match open_workbook_auto_from_rs(Cursor::new(raw)) {
        Ok(b) => b,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("not a readable spreadsheet: {e}"));
            return;
        }
    };
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                report.malformed(|| format!("sheet `{sheet}`: {e}"));
                continue;
            }
        };
        let mut rows = range.rows();
        let Some(header) = rows.next() else { continue };
        let columns: Vec<String> = header.iter().map(|c| text(c).trim().to_owned()).collect();
        let mut table = TableScan::new(ctx, path, &sheet, columns);
        for (i, row) in rows.enumerate() {
            let cells: Vec<String> = row.iter().map(text).collect();
            let row_no = i + 2;
            table.row(
                &|| format!("{sheet}!row {row_no}"),
                cells.iter().map(|c| Some(c.as_str())),
            );
            if table.full() {
                break;
            }
        }
        table.finish(report);
    }
}

fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    }
}
