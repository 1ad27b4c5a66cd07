//! Classification of tables (CSV, Parquet, spreadsheets, databases): each
//! column is reported once per detector with its match ratio; identifiers
//! inside free-text cells are reported one by one with their row.

use steward_model::finding::Location;

use super::Ctx;
use super::batch::CellBatch;
use crate::engine::Cache;
use crate::report::{ColumnTally, Findings, SourceReport};

/// What names a row in findings. Numbered rows are kept as numbers and
/// written out only for the findings that show them: formatting a name
/// for every row cost more than classifying a row of two identifiers.
#[derive(Debug, Clone)]
pub enum RowKey {
    /// A line of a text file, from 1.
    Line(u64),
    /// A row of a table, from 1.
    Row(u64),
    /// A name of its own (`member_id=3`, `Sheet1!row 4`).
    Named(String),
}

impl std::fmt::Display for RowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line(n) => write!(f, "line {n}"),
            Self::Row(n) => write!(f, "row {n}"),
            Self::Named(name) => f.write_str(name),
        }
    }
}

/// One table being classified.
pub struct TableScan<'c, 'a> {
    ctx: &'c Ctx<'a>,
    dataset: String,
    table: String,
    columns: Vec<String>,
    tallies: Vec<ColumnTally>,
    findings: Findings,
    rows: u64,
    cache: Cache,
    batch: CellBatch,
    /// Names of the queued rows.
    keys: Vec<(u64, RowKey)>,
}

impl<'c, 'a> TableScan<'c, 'a> {
    /// Starts a table with its column names.
    #[must_use]
    pub fn new(ctx: &'c Ctx<'a>, dataset: &str, table: &str, columns: Vec<String>) -> Self {
        let tallies = columns
            .iter()
            .map(|c| ColumnTally::new(ctx.engine.hinted_by(c)))
            .collect();
        Self {
            ctx,
            dataset: dataset.to_owned(),
            table: table.to_owned(),
            columns,
            tallies,
            findings: Findings::new(ctx.cap),
            rows: 0,
            cache: ctx.engine.pooled_cache(),
            batch: CellBatch::default(),
            keys: Vec::new(),
        }
    }

    /// Rows seen so far.
    #[must_use]
    pub const fn rows(&self) -> u64 {
        self.rows
    }

    /// Whether the sample limit is reached.
    #[must_use]
    pub fn full(&self) -> bool {
        self.ctx.sample.is_some_and(|n| self.rows >= n)
    }

    /// Classifies one row; `key` names it (`line 3`, `member_id=3`).
    pub fn row<'v>(
        &mut self,
        key: &dyn Fn() -> RowKey,
        cells: impl IntoIterator<Item = Option<&'v str>>,
    ) {
        self.rows += 1;
        let row_no = self.rows;
        let before = self.batch.queued();
        for (i, cell) in cells.into_iter().enumerate() {
            let Some(value) = cell else { continue };
            let Some(tally) = self.tallies.get_mut(i) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            tally.value();
            let hinted = !tally.hinted.is_empty();
            self.batch.push(
                self.ctx.engine,
                &self.cache.clean,
                row_no,
                (i, i as u64),
                value.as_bytes(),
                hinted,
            );
        }
        if self.batch.queued() > before {
            self.keys.push((row_no, key()));
        }
        if self.batch.full() {
            self.flush();
        }
    }

    /// Searches the queued cells and records their matches.
    fn flush(&mut self) {
        let Self {
            ctx,
            dataset,
            table,
            columns,
            tallies,
            findings,
            cache,
            batch,
            keys,
            ..
        } = self;
        let mut k = 0usize;
        batch.flush(ctx.engine, cache, tallies, |m, tally| {
            let Some(column) = columns.get(m.seg.column) else {
                return;
            };
            let row_no = m.seg.record;
            while keys.get(k).is_some_and(|(r, _)| *r < row_no) {
                k += 1;
            }
            let key = keys.get(k).map(|(_, key)| key);
            let location = |offset: Option<u64>| Location::Field {
                path: dataset.clone(),
                record: row_no,
                field: if table.is_empty() {
                    column.clone()
                } else {
                    format!("{table}.{column}")
                },
                offset,
            };
            for hit in m.whole {
                let v = m.value.get(hit.start..hit.end).unwrap_or_default();
                tally.hit(hit, || {
                    ctx.maker
                        .make(hit, v, location(None))
                        .map(|f| (f, key.map(ToString::to_string).unwrap_or_default()))
                });
            }
            for hit in m.partial {
                let Some(d) = ctx.engine.detectors().get(hit.detector) else {
                    continue;
                };
                let v = m.value.get(hit.start..hit.end).unwrap_or_default();
                findings.push(&d.id, || {
                    ctx.maker.make(hit, v, location(Some(hit.start as u64)))
                });
            }
        });
        keys.clear();
    }

    /// Adds the table's findings to the report.
    pub fn finish(mut self, report: &mut SourceReport) {
        self.flush();
        let sample = self.ctx.sample.filter(|n| self.rows >= *n);
        self.ctx.engine.return_cache(self.cache);
        for (column, tally) in self.columns.iter().zip(self.tallies) {
            let found = tally.findings(
                self.ctx.engine,
                &self.dataset,
                &self.table,
                column,
                self.rows,
                sample,
            );
            report.add_columns(found);
        }
        report.records += self.rows;
        self.findings.into_report(report);
    }
}
