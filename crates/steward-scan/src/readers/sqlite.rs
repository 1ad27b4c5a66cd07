//! SQLite database files: every column of every table (or the first
//! `--sample` rows of each), opened read-only.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::Ctx;
use super::table::{RowKey, TableScan};
use crate::report::{SourceReport, SourceStatus};

/// Scans a SQLite file on disk.
pub fn scan_file(ctx: &Ctx<'_>, path: &str, file: &std::path::Path, report: &mut SourceReport) {
    report.bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    match Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(conn) => scan_connection(ctx, path, &conn, report),
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("cannot open as SQLite: {e}"));
        }
    }
    (ctx.progress)(report.bytes);
}

/// Scans a compressed SQLite file: decompressed into a temporary file.
pub fn scan_stream(
    ctx: &Ctx<'_>,
    path: &str,
    mut reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    let tmp = match tempfile::NamedTempFile::new() {
        Ok(t) => t,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("cannot create a temporary file: {e}"));
            return;
        }
    };
    let copied = tmp
        .reopen()
        .and_then(|mut f| std::io::copy(&mut reader, &mut f));
    if let Err(e) = copied {
        report.status = SourceStatus::Failed;
        report.error = Some(format!("cannot decompress: {e}"));
        return;
    }
    scan_file(ctx, path, tmp.path(), report);
}

fn scan_connection(ctx: &Ctx<'_>, path: &str, conn: &Connection, report: &mut SourceReport) {
    let tables: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
    {
        Ok(t) => t,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("not a readable SQLite database: {e}"));
            return;
        }
    };
    for table in tables {
        match scan_table(ctx, path, conn, &table, report) {
            Ok(()) => {}
            Err(rusqlite::Error::InvalidQuery) => report.malformed(|| {
                format!(
                    "table `{table}`: no row for {} s (expensive generated columns?); skipped",
                    STALL.as_secs()
                )
            }),
            Err(e) => report.malformed(|| format!("table `{table}`: {e}")),
        }
    }
}

/// A table that produces no row for this long is skipped (a hostile file
/// can make each row arbitrarily expensive with generated columns).
const STALL: Duration = Duration::from_secs(10);

fn scan_table(
    ctx: &Ctx<'_>,
    path: &str,
    conn: &Connection,
    table: &str,
    report: &mut SourceReport,
) -> rusqlite::Result<()> {
    let started = Instant::now();
    let last_row = Arc::new(AtomicU64::new(0));
    let watch = Arc::clone(&last_row);
    let stall = STALL.as_millis() as u64;
    conn.progress_handler(
        10_000,
        Some(move || started.elapsed().as_millis() as u64 > watch.load(Ordering::Relaxed) + stall),
    )?;
    let result = scan_table_rows(ctx, path, conn, table, report, &last_row, started);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    result.map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            rusqlite::Error::InvalidQuery
        }
        other => other,
    })
}

fn scan_table_rows(
    ctx: &Ctx<'_>,
    path: &str,
    conn: &Connection,
    table: &str,
    report: &mut SourceReport,
    last_row: &AtomicU64,
    started: Instant,
) -> rusqlite::Result<()> {
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let (key_col, key_name) = primary_key(conn, &quoted)?;
    let limit = ctx.sample.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let mut stmt = conn.prepare(&format!("SELECT * FROM {quoted}{limit}"))?;
    let columns: Vec<String> = stmt
        .column_names()
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let key_index = key_col
        .as_ref()
        .and_then(|k| columns.iter().position(|c| c == k));
    let width = columns.len();
    let mut scan = TableScan::new(ctx, path, table, columns);
    let mut rows = stmt.query([])?;
    let mut cells: Vec<Option<String>> = vec![None; width];
    while let Some(row) = rows.next()? {
        last_row.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
        for (i, cell) in cells.iter_mut().enumerate() {
            *cell = match row.get_ref(i)? {
                ValueRef::Null | ValueRef::Blob(_) => None,
                ValueRef::Integer(n) => Some(n.to_string()),
                ValueRef::Real(f) => Some(f.to_string()),
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
            };
        }
        let row_no = scan.rows() + 1;
        let key = || match key_index
            .and_then(|k| cells.get(k))
            .and_then(Option::as_deref)
        {
            Some(v) => RowKey::Named(format!("{key_name}={v}")),
            None => RowKey::Row(row_no),
        };
        scan.row(&key, cells.iter().map(Option::as_deref));
    }
    scan.finish(report);
    Ok(())
}

/// The single-column primary key of a table, if it has one.
fn primary_key(conn: &Connection, quoted: &str) -> rusqlite::Result<(Option<String>, String)> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({quoted})"))?;
    let pks: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let keys: Vec<&String> = pks
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, _)| n)
        .collect();
    Ok(match keys.as_slice() {
        [one] => (Some((*one).clone()), (*one).clone()),
        _ => (None, String::new()),
    })
}
