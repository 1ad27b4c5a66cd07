//! JSON Lines and JSON documents, classified per field path
//! (`$.entries[*].phone`): a field whose values are identifiers is reported
//! once with its match ratio; identifiers inside free-text fields are
//! reported one by one with their record and offset.
//!
//! JSON Lines are scanned fast: the engine runs once over each chunk of raw
//! lines, and a small structural walker checks each line and maps matches
//! to the field they fall in. A line the walker rejects is counted as
//! malformed and skipped.

use std::io::Read;

use steward_model::finding::{Finding, Location};

use super::Ctx;
use super::batch::CellBatch;
use super::chunked::{self, CHUNK, Chunk};
use crate::engine::Cache;
use crate::report::{ColumnTally, Findings, SourceReport, SourceStatus};

mod walk;

pub use walk::{HashMap, Leaf, PathBook, PathHasher, walk_line};

/// Largest JSON document read whole.
const DOCUMENT_LIMIT: u64 = 256 * 1024 * 1024;

struct ChunkResult {
    lines: u64,
    records: u64,
    malformed: Vec<(u64, String)>,
    partial: Vec<(String, u64, Option<Finding>)>,
    tallies: Vec<ColumnTally>,
    /// Field path of each tally.
    tally_paths: Vec<u64>,
    paths: HashMap<u64, String>,
}

/// Scans a JSON Lines stream.
pub fn scan_lines(
    ctx: &Ctx<'_>,
    path: &str,
    mut reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    let mut findings = Findings::new(ctx.cap);
    let mut tallies: HashMap<u64, ColumnTally> = HashMap::default();
    let mut names: HashMap<u64, String> = HashMap::default();
    let mut line_base = 0u64;
    let mut records = 0u64;
    let mut malformed = Vec::new();
    let work = |chunk: &Chunk| scan_chunk(ctx, path, chunk);
    let merge = |r: ChunkResult| {
        for (det, line, f) in r.partial {
            findings.push(&det, || {
                f.map(|mut f| {
                    if let Location::Field { record, .. } = &mut f.location {
                        *record += line_base;
                    }
                    f
                })
            });
            let _ = line;
        }
        for (line, why) in r.malformed {
            malformed.push((line_base + line, why));
        }
        for (h, t) in r.tally_paths.into_iter().zip(r.tallies) {
            match tallies.get_mut(&h) {
                Some(existing) => existing.merge(t),
                None => {
                    tallies.insert(h, t);
                }
            }
        }
        for (h, p) in r.paths {
            names.entry(h).or_insert(p);
        }
        line_base += r.lines;
        records += r.records;
    };
    let result = chunked::run(&mut reader, CHUNK, ctx.progress, work, merge);
    report.records = records;
    for (line, why) in malformed {
        report.malformed(|| format!("line {line}: {why}"));
    }
    report.read_result(result);
    let mut columns: Vec<_> = tallies.into_iter().collect();
    columns.sort_by(|a, b| names.get(&a.0).cmp(&names.get(&b.0)));
    for (h, tally) in columns {
        let column = names.get(&h).cloned().unwrap_or_default();
        report.add_columns(tally.findings(ctx.engine, path, "", &column, records, None));
    }
    findings.into_report(report);
}

fn scan_chunk(ctx: &Ctx<'_>, path: &str, chunk: &Chunk) -> ChunkResult {
    ctx.engine
        .with_cache(|cache| scan_chunk_with(ctx, path, chunk, cache))
}

fn scan_chunk_with(ctx: &Ctx<'_>, path: &str, chunk: &Chunk, cache: &mut Cache) -> ChunkResult {
    let mut book = PathBook::default();
    let mut out = ChunkResult {
        lines: 0,
        records: 0,
        malformed: Vec::new(),
        partial: Vec::new(),
        tallies: Vec::new(),
        tally_paths: Vec::new(),
        paths: HashMap::default(),
    };
    let mut leaves = Vec::new();
    let mut columns = Columns::default();
    let mut batch = CellBatch::default();
    let mut start = 0usize;
    let bytes = chunk.bytes.as_slice();
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default())
            .map_or(bytes.len(), |i| start + i);
        out.lines += 1;
        let line_no = out.lines;
        let line = bytes.get(start..end).unwrap_or_default();
        if !line.iter().all(u8::is_ascii_whitespace) {
            leaves.clear();
            match walk_line(line, &mut book, &mut leaves) {
                Err((at, why)) => out
                    .malformed
                    .push((line_no, format!("{why} at column {}", at + 1))),
                Ok(()) => {
                    out.records += 1;
                    queue_record(
                        ctx,
                        (line, line_no),
                        &leaves,
                        &book,
                        &mut columns,
                        &mut batch,
                        cache,
                        &mut out,
                    );
                }
            }
        }
        start = end + 1;
        if batch.full() {
            flush(ctx, path, &book, &mut batch, cache, &mut out);
        }
    }
    flush(ctx, path, &book, &mut batch, cache, &mut out);
    out.paths = book.take_new();
    out
}

/// Field path → tally index, with a shortcut for records shaped like the
/// last one.
#[derive(Default)]
struct Columns {
    slots: HashMap<u64, usize>,
    /// Path and tally index of each leaf of the last record, by position.
    recent: Vec<(u64, usize)>,
}

/// Counts the values of one record and queues those worth searching.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site; the pieces are the chunk's state"
)]
fn queue_record(
    ctx: &Ctx<'_>,
    (line, line_no): (&[u8], u64),
    leaves: &[Leaf],
    book: &PathBook,
    columns: &mut Columns,
    batch: &mut CellBatch,
    cache: &Cache,
    out: &mut ChunkResult,
) {
    let engine = ctx.engine;
    for (idx, leaf) in leaves.iter().enumerate() {
        let Some(raw) = line.get(leaf.start..leaf.end) else {
            continue;
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let slot = match columns.recent.get(idx) {
            Some(&(p, slot)) if p == leaf.path && slot != usize::MAX => slot,
            _ => {
                let slot = *columns.slots.entry(leaf.path).or_insert_with(|| {
                    let hinted = engine.hinted_by(book.name(leaf.path));
                    out.tallies.push(ColumnTally::new(hinted));
                    out.tally_paths.push(leaf.path);
                    out.tallies.len() - 1
                });
                if let Some(r) = columns.recent.get_mut(idx) {
                    *r = (leaf.path, slot);
                } else {
                    columns.recent.resize(idx, (0, usize::MAX));
                    columns.recent.push((leaf.path, slot));
                }
                slot
            }
        };
        let Some(tally) = out.tallies.get_mut(slot) else {
            continue;
        };
        tally.value();
        let hinted = !tally.hinted.is_empty();
        let column = (slot, leaf.path);
        if leaf.escaped {
            // Decode escapes, then search the decoded text.
            if let Some(s) = decode(raw, leaf.string) {
                batch.push(engine, &cache.clean, line_no, column, s.as_bytes(), hinted);
            }
        } else {
            // Invalid UTF-8 is searched too: matches are checked one by one.
            batch.push(engine, &cache.clean, line_no, column, raw, hinted);
        }
    }
}

/// Searches the queued values and records their matches.
fn flush(
    ctx: &Ctx<'_>,
    path: &str,
    book: &PathBook,
    batch: &mut CellBatch,
    cache: &mut Cache,
    out: &mut ChunkResult,
) {
    let engine = ctx.engine;
    let tally_paths = &out.tally_paths;
    let partial = &mut out.partial;
    batch.flush(engine, cache, &mut out.tallies, |m, tally| {
        let Some(&column) = tally_paths.get(m.seg.column) else {
            return;
        };
        let field = book.name(column);
        let line_no = m.seg.record;
        let location = |offset: Option<u64>| Location::Field {
            path: path.to_owned(),
            record: line_no,
            field: field.to_owned(),
            offset,
        };
        for hit in m.whole {
            let v = m.value.get(hit.start..hit.end).unwrap_or_default();
            tally.hit(hit, || {
                ctx.maker
                    .make(hit, v, location(None))
                    .map(|f| (f, format!("line {line_no}")))
            });
        }
        for hit in m.partial {
            let Some(d) = engine.detectors().get(hit.detector) else {
                continue;
            };
            let v = m.value.get(hit.start..hit.end).unwrap_or_default();
            let f = (partial.len() < ctx.cap)
                .then(|| ctx.maker.make(hit, v, location(Some(hit.start as u64))))
                .flatten();
            partial.push((d.id.clone(), line_no, f));
        }
    });
}

/// The text of a raw leaf: a JSON string's content with escapes decoded, or
/// a number or literal as written.
fn decode(raw: &[u8], string: bool) -> Option<String> {
    if !string {
        return std::str::from_utf8(raw).ok().map(str::to_owned);
    }
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted).ok()
}

/// Scans one JSON document (read whole, up to 256 MiB). A top-level array
/// is a list of records.
pub fn scan_document(
    ctx: &Ctx<'_>,
    path: &str,
    reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    let mut raw = Vec::new();
    if let Err(e) = reader.take(DOCUMENT_LIMIT + 1).read_to_end(&mut raw) {
        report.status = SourceStatus::Failed;
        report.error = Some(format!("cannot read: {e}"));
        return;
    }
    (ctx.progress)(raw.len() as u64);
    report.bytes = raw.len() as u64;
    if raw.len() as u64 > DOCUMENT_LIMIT {
        report.status = SourceStatus::Failed;
        report.error =
            Some("JSON document larger than 256 MiB; convert it to JSON Lines".to_owned());
        return;
    }
    let doc: serde_json::Value = match serde_json::from_slice(&raw) {
        Ok(v) => v,
        Err(e) => {
            // Maybe it is JSON Lines with a .json name.
            if e.line() > 1 && raw.first() == Some(&b'{') {
                report.format = report.format.replacen("json", "jsonl", 1);
                return scan_lines(ctx, path, Box::new(std::io::Cursor::new(raw)), report);
            }
            report.status = SourceStatus::Failed;
            report.error = Some(format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ));
            return;
        }
    };
    let records: Vec<&serde_json::Value> = match &doc {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let prefix = if doc.is_array() { "$[*]" } else { "$" };
    report.records = records.len() as u64;
    let mut cache = ctx.engine.cache();
    let mut tallies: std::collections::BTreeMap<String, ColumnTally> =
        std::collections::BTreeMap::new();
    let mut findings = Findings::new(ctx.cap);
    let (mut whole, mut partial) = (Vec::new(), Vec::new());
    for (i, rec) in records.iter().enumerate() {
        let record_no = i as u64 + 1;
        let mut leaves = Vec::new();
        leaves_of(rec, prefix.to_owned(), &mut leaves, 0);
        for (field, value) in leaves {
            if value.trim().is_empty() {
                continue;
            }
            let tally = tallies
                .entry(field.clone())
                .or_insert_with(|| ColumnTally::new(ctx.engine.hinted_by(&field)));
            tally.value();
            whole.clear();
            partial.clear();
            ctx.engine
                .classify_cell(&mut cache, &value, &tally.hinted, &mut whole, &mut partial);
            for hit in &whole {
                let v = value.get(hit.start..hit.end).unwrap_or_default();
                tally.hit(hit, || {
                    ctx.maker
                        .make(
                            hit,
                            v,
                            Location::Field {
                                path: path.to_owned(),
                                record: record_no,
                                field: field.clone(),
                                offset: None,
                            },
                        )
                        .map(|f| (f, format!("record {record_no}")))
                });
            }
            for hit in &partial {
                let Some(d) = ctx.engine.detectors().get(hit.detector) else {
                    continue;
                };
                let v = value.get(hit.start..hit.end).unwrap_or_default();
                findings.push(&d.id, || {
                    ctx.maker.make(
                        hit,
                        v,
                        Location::Field {
                            path: path.to_owned(),
                            record: record_no,
                            field: field.clone(),
                            offset: Some(hit.start as u64),
                        },
                    )
                });
            }
        }
    }
    for (field, tally) in tallies {
        let records = report.records;
        report.add_columns(tally.findings(ctx.engine, path, "", &field, records, None));
    }
    findings.into_report(report);
}

/// Leaves of a JSON value with their paths; depth is limited so hostile
/// nesting cannot exhaust the stack.
fn leaves_of(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > walk::MAX_DEPTH {
        return;
    }
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                leaves_of(child, walk::child_path(&path, k), out, depth + 1);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                leaves_of(child, format!("{path}[*]"), out, depth + 1);
            }
        }
        serde_json::Value::String(s) => out.push((path, s.clone())),
        serde_json::Value::Number(n) => out.push((path, n.to_string())),
        serde_json::Value::Bool(_) | serde_json::Value::Null => {}
    }
}
