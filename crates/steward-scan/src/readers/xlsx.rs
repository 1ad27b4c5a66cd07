//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) through calamine: every sheet
//! is a table whose first row names the columns.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_auto_from_rs};

use super::Ctx;
use super::table::{RowKey, TableScan};
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
    // XLSX (and XLSM) are read cell by cell: a dense range would let a
    // sheet that names a far corner cell allocate hundreds of gigabytes.
    if raw.starts_with(b"PK")
        && let Ok(book) = Xlsx::new(Cursor::new(raw.clone()))
    {
        return scan_xlsx(ctx, path, book, report);
    }
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
                &|| RowKey::Named(format!("{sheet}!row {row_no}")),
                cells.iter().map(|c| Some(c.as_str())),
            );
            if table.full() {
                break;
            }
        }
        table.finish(report);
    }
}

/// Columns read per sheet (Excel's own limit is 16,384).
const MAX_COLUMNS: u32 = 16_384;

fn scan_xlsx(
    ctx: &Ctx<'_>,
    path: &str,
    mut book: Xlsx<Cursor<Vec<u8>>>,
    report: &mut SourceReport,
) {
    for sheet in book.sheet_names() {
        let mut cells = match book.worksheet_cells_reader(&sheet) {
            Ok(c) => c,
            Err(e) => {
                report.malformed(|| format!("sheet `{sheet}`: {e}"));
                continue;
            }
        };
        let mut header: Vec<String> = Vec::new();
        let mut header_row: Option<u32> = None;
        let mut table: Option<TableScan<'_, '_>> = None;
        let mut row: Vec<String> = Vec::new();
        let mut current: Option<u32> = None;
        let flush = |table: &mut Option<TableScan<'_, '_>>, row: &mut Vec<String>, r: u32| {
            if let Some(t) = table.as_mut() {
                let row_no = u64::from(r) + 1;
                t.row(
                    &|| RowKey::Named(format!("{sheet}!row {row_no}")),
                    row.iter().map(|c| Some(c.as_str())),
                );
            }
            row.iter_mut().for_each(String::clear);
        };
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    report.malformed(|| format!("sheet `{sheet}`: {e}"));
                    break;
                }
            };
            let (r, c) = cell.get_position();
            let value = text(&Data::from(cell.get_value().clone()));
            if header_row.is_none_or(|h| h == r) {
                header_row = Some(r);
                if c < MAX_COLUMNS {
                    let c = c as usize;
                    if header.len() <= c {
                        header.resize(c + 1, String::new());
                    }
                    if let Some(slot) = header.get_mut(c) {
                        *slot = value.trim().to_owned();
                    }
                }
                continue;
            }
            if table.is_none() {
                row = vec![String::new(); header.len()];
                table = Some(TableScan::new(ctx, path, &sheet, header.clone()));
            }
            if current.is_some_and(|cur| cur != r) {
                flush(&mut table, &mut row, current.unwrap_or_default());
                if table.as_ref().is_some_and(TableScan::full) {
                    break;
                }
            }
            current = Some(r);
            if let Some(slot) = row.get_mut(c as usize) {
                *slot = value;
            }
        }
        if let Some(r) = current {
            flush(&mut table, &mut row, r);
        }
        drop(cells);
        if let Some(t) = table {
            t.finish(report);
        }
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
