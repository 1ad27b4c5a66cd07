//! CSV and TSV records: the mapping's paths are column names, bound to
//! column positions once per input (from the header row or the mapping's
//! `columns`). Empty cells are absent values.

use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::mapping::path::FieldPath;
use crate::mapping::plan::CsvLayout;
use crate::value::{Fields, PathId, Value, ValueError};

/// Fails reads once more than `limit` bytes have been read past the end of
/// the last complete record, so that an unclosed quote cannot make the CSV
/// parser buffer a whole file.
struct Guard {
    inner: Box<dyn Read + Send>,
    read: u64,
    boundary: Arc<AtomicU64>,
    limit: u64,
}

impl Read for Guard {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let since = self
            .read
            .saturating_sub(self.boundary.load(Ordering::Relaxed));
        if since > self.limit {
            return Err(std::io::Error::other(format!(
                "a CSV record runs past {} bytes (an unclosed quote?)",
                self.limit
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// What one step of the reader gave.
pub(crate) enum Row {
    /// A record is ready; it starts on this line, `bytes` after the
    /// input's start.
    Record { line: u64, end: u64 },
    /// The input is unreadable from here.
    Broken(String),
    /// No more records.
    End,
}

/// Reads CSV records and binds the mapping's paths to columns.
pub(crate) struct CsvRows {
    reader: csv::Reader<Guard>,
    record: csv::ByteRecord,
    columns: Vec<Option<usize>>,
    boundary: Arc<AtomicU64>,
    bound: bool,
    layout: CsvLayout,
    paths: Vec<FieldPath>,
}

impl std::fmt::Debug for CsvRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows")
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

fn bind(paths: &[FieldPath], names: &[String]) -> Vec<Option<usize>> {
    paths
        .iter()
        .map(|p| {
            let name = p.column_name()?;
            names
                .iter()
                .position(|n| *n == name)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(&name)))
        })
        .collect()
}

impl CsvRows {
    pub(crate) fn new(
        input: Box<dyn Read + Send>,
        layout: CsvLayout,
        paths: &[FieldPath],
        limit: u64,
    ) -> Self {
        let boundary = Arc::new(AtomicU64::new(0));
        let guard = Guard {
            inner: input,
            read: 0,
            boundary: Arc::clone(&boundary),
            limit,
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(layout.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(guard);
        Self {
            reader,
            record: csv::ByteRecord::new(),
            columns: Vec::new(),
            boundary,
            bound: false,
            layout,
            paths: paths.to_vec(),
        }
    }

    fn read(&mut self) -> Result<bool, String> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                let end = self.reader.position().byte();
                self.boundary.store(end, Ordering::Relaxed);
                Ok(more)
            }
            Err(e) => Err(match e.kind() {
                csv::ErrorKind::Io(io) => io.to_string(),
                _ => "CSV structure".to_owned(),
            }),
        }
    }

    /// The next record.
    pub(crate) fn next(&mut self) -> Row {
        if !self.bound {
            self.bound = true;
            let mut names = self.layout.columns.clone();
            if self.layout.header {
                match self.read() {
                    Ok(true) => {
                        if names.is_empty() {
                            names = self
                                .record
                                .iter()
                                .map(|c| String::from_utf8_lossy(c).trim().to_owned())
                                .collect();
                            if let Some(first) = names.first_mut()
                                && let Some(s) = first.strip_prefix('\u{feff}')
                            {
                                *first = s.to_owned();
                            }
                        }
                    }
                    Ok(false) => return Row::End,
                    Err(e) => return Row::Broken(e),
                }
            }
            self.columns = bind(&self.paths, &names);
        }
        let start_line = self.reader.position().line();
        match self.read() {
            Ok(true) => Row::Record {
                line: self
                    .record
                    .position()
                    .map_or(start_line, csv::Position::line),
                end: self.reader.position().byte(),
            },
            Ok(false) => Row::End,
            Err(e) => Row::Broken(e),
        }
    }

    /// The current record as fields.
    pub(crate) fn record(&self) -> CsvRecord<'_> {
        CsvRecord {
            record: &self.record,
            columns: &self.columns,
        }
    }
}

/// One CSV record, as the mapping reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CsvRecord<'a> {
    record: &'a csv::ByteRecord,
    columns: &'a [Option<usize>],
}

impl Fields for CsvRecord<'_> {
    fn first(&self, path: PathId) -> Result<Option<Value<'_>>, ValueError> {
        let Some(Some(col)) = self.columns.get(usize::from(path)) else {
            return Ok(None);
        };
        match self.record.get(*col) {
            None | Some(b"") => Ok(None),
            Some(cell) => std::str::from_utf8(cell)
                .map(|s| Some(Value::Str(Cow::Borrowed(s))))
                .map_err(|_| "not valid UTF-8"),
        }
    }

    fn each<'s>(
        &'s self,
        path: PathId,
        f: &mut dyn FnMut(Value<'s>) -> Result<(), ValueError>,
    ) -> Result<(), ValueError> {
        match self.first(path)? {
            Some(v) => f(v),
            None => Ok(()),
        }
    }
}
