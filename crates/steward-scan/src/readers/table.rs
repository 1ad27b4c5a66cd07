//! Classification of tables (CSV, Parquet, spreadsheets, databases): each
//! column is reported once per detector with its match ratio; identifiers
//! inside free-text cells are reported one by one with their row.

use steward_model::finding::Location;

use super::Ctx;
use crate::engine::{CONTEXT_BOOST, Cache, Hit};
use crate::report::{ColumnTally, Findings, SourceReport};

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
    whole: Vec<Hit>,
    partial: Vec<Hit>,
    row_buf: String,
    spans: Vec<(usize, usize)>,
    row_hits: Vec<Hit>,
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
            whole: Vec::new(),
            partial: Vec::new(),
            row_buf: String::new(),
            spans: Vec::new(),
            row_hits: Vec::new(),
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

    /// Classifies one row; `key` names it (`row 3`, `member_id=3`).
    pub fn row<'v>(
        &mut self,
        key: &dyn Fn() -> String,
        cells: impl IntoIterator<Item = Option<&'v str>>,
    ) {
        self.rows += 1;
        let row_no = self.rows;
        // One search over the row's cells joined by newlines (a newline ends
        // every pattern), then matches are sorted into their cells.
        let cells: Vec<Option<&str>> = cells.into_iter().collect();
        self.row_buf.clear();
        self.spans.clear();
        for cell in &cells {
            let start = self.row_buf.len();
            if let Some(v) = cell {
                self.row_buf.push_str(v);
            }
            self.spans.push((start, self.row_buf.len()));
            self.row_buf.push('\n');
        }
        self.row_hits.clear();
        self.ctx.engine.find(
            &mut self.cache,
            self.row_buf.as_bytes(),
            &[],
            &mut self.row_hits,
        );
        let mut next = 0usize;
        for (i, cell) in cells.into_iter().enumerate() {
            let (start, end) = self.spans.get(i).copied().unwrap_or_default();
            let first = next;
            while self.row_hits.get(next).is_some_and(|h| h.start < end) {
                next += 1;
            }
            let Some(value) = cell else { continue };
            let (Some(tally), Some(column)) = (self.tallies.get_mut(i), self.columns.get(i)) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            tally.value();
            self.whole.clear();
            self.partial.clear();
            let trimmed = value.trim();
            let lead = value.len() - value.trim_start().len();
            for hit in self.row_hits.get(first..next).unwrap_or_default() {
                if hit.start < start || hit.end > end {
                    continue;
                }
                let mut local = *hit;
                local.start -= start;
                local.end -= start;
                if tally.hinted.contains(&local.detector) {
                    local.confidence = (local.confidence + CONTEXT_BOOST).min(1.0);
                    self.whole.push(local);
                } else if local.start == lead && local.end == lead + trimmed.len() {
                    self.whole.push(local);
                } else {
                    self.partial.push(local);
                }
            }
            if !tally.hinted.is_empty() {
                self.ctx.engine.hinted_cells(
                    &mut self.cache,
                    value,
                    &tally.hinted,
                    &mut self.whole,
                    0,
                );
            }
            let location = |offset: Option<u64>| Location::Field {
                path: self.dataset.clone(),
                record: row_no,
                field: if self.table.is_empty() {
                    column.clone()
                } else {
                    format!("{}.{column}", self.table)
                },
                offset,
            };
            for hit in &self.whole {
                let v = value.get(hit.start..hit.end).unwrap_or_default();
                tally.hit(hit, || {
                    self.ctx
                        .maker
                        .make(hit, v, location(None))
                        .map(|f| (f, key()))
                });
            }
            for hit in &self.partial {
                let Some(d) = self.ctx.engine.detectors().get(hit.detector) else {
                    continue;
                };
                let v = value.get(hit.start..hit.end).unwrap_or_default();
                self.findings.push(&d.id, || {
                    self.ctx
                        .maker
                        .make(hit, v, location(Some(hit.start as u64)))
                });
            }
        }
    }

    /// Adds the table's findings to the report.
    pub fn finish(self, report: &mut SourceReport) {
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
