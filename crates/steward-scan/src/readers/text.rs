//! Plain text and logs: every match is a finding with its line and byte
//! offset. Binary files are skipped; UTF-16 with a byte-order mark is
//! transcoded; other invalid UTF-8 is noted and scanned as bytes.

use std::io::Read;

use steward_model::finding::Location;

use super::Ctx;
use super::chunked::{self, CHUNK, Chunk};
use crate::report::{Findings, SourceReport, SourceStatus};

/// Bytes looked at to decide whether an input is binary.
const SNIFF: usize = 8 * 1024;

struct ChunkResult {
    lines: u64,
    /// (detector id, line within chunk, offset within chunk, finding).
    found: Vec<(String, u64, u64, Option<steward_model::finding::Finding>)>,
    invalid_utf8: Option<u64>,
}

/// Scans a text stream.
pub fn scan(
    ctx: &Ctx<'_>,
    path: &str,
    mut reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    let mut head = vec![0u8; SNIFF];
    let n = match super::read_up_to(&mut reader, &mut head) {
        Ok(n) => n,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("read stopped after 0 bytes: {e}"));
            return;
        }
    };
    head.truncate(n);
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return scan_utf16(ctx, path, head, reader, report);
    }
    if head.contains(&0) {
        report.status = SourceStatus::Skipped;
        report.error = Some("binary content (NUL bytes in the first 8 KiB)".to_owned());
        return;
    }
    let mut stream = std::io::Cursor::new(head).chain(reader);
    scan_bytes(ctx, path, &mut stream, report);
}

fn scan_bytes(ctx: &Ctx<'_>, path: &str, stream: &mut dyn Read, report: &mut SourceReport) {
    let mut findings = Findings::new(ctx.cap);
    let mut line_base = 0u64;
    let mut first_invalid: Option<u64> = None;
    let work = |chunk: &Chunk| scan_chunk(ctx, path, chunk);
    let merge = |r: ChunkResult| {
        for (det, line, offset, finding) in r.found {
            findings.push(&det, || {
                finding.map(|mut f| {
                    f.location = Location::File {
                        path: path.to_owned(),
                        line: line_base + line,
                        byte_offset: offset,
                    };
                    f
                })
            });
        }
        if first_invalid.is_none() {
            first_invalid = r.invalid_utf8;
        }
        line_base += r.lines;
    };
    let result = chunked::run(stream, CHUNK, ctx.progress, work, merge);
    report.records = line_base;
    report.read_result(result);
    if let Some(at) = first_invalid {
        report.problems.push(format!(
            "not valid UTF-8 (first invalid byte at offset {at}); scanned as bytes"
        ));
    }
    findings.into_report(report);
}

fn scan_chunk(ctx: &Ctx<'_>, path: &str, chunk: &Chunk) -> ChunkResult {
    let mut hits = Vec::new();
    ctx.engine
        .with_cache(|cache| ctx.engine.find(cache, &chunk.bytes, &[], &mut hits));
    let mut found = Vec::with_capacity(hits.len());
    let mut line = 1u64;
    let mut counted_to = 0usize;
    for (i, h) in hits.iter().enumerate() {
        let Some(d) = ctx.engine.detectors().get(h.detector) else {
            continue;
        };
        line += memchr::memchr_iter(
            b'\n',
            chunk.bytes.get(counted_to..h.start).unwrap_or_default(),
        )
        .count() as u64;
        counted_to = h.start;
        let offset = chunk.offset + h.start as u64;
        let finding = if i < ctx.cap {
            let value = std::str::from_utf8(chunk.bytes.get(h.start..h.end).unwrap_or_default())
                .unwrap_or_default();
            ctx.maker.make(
                h,
                value,
                Location::File {
                    path: path.to_owned(),
                    line,
                    byte_offset: offset,
                },
            )
        } else {
            None
        };
        found.push((d.id.clone(), line, offset, finding));
    }
    let lines = memchr::memchr_iter(b'\n', &chunk.bytes).count() as u64
        + u64::from(!chunk.bytes.ends_with(b"\n"));
    let invalid_utf8 = std::str::from_utf8(&chunk.bytes)
        .err()
        .filter(|e| e.error_len().is_some())
        .map(|e| chunk.offset + e.valid_up_to() as u64);
    ChunkResult {
        lines,
        found,
        invalid_utf8,
    }
}

fn scan_utf16(
    ctx: &Ctx<'_>,
    path: &str,
    head: Vec<u8>,
    mut reader: Box<dyn Read + Send>,
    report: &mut SourceReport,
) {
    const LIMIT: u64 = 512 * 1024 * 1024;
    let mut raw = head;
    if let Err(e) = (&mut reader).take(LIMIT).read_to_end(&mut raw) {
        report.status = SourceStatus::Failed;
        report.error = Some(format!("cannot read: {e}"));
        return;
    }
    let little = raw.starts_with(&[0xff, 0xfe]);
    let units = raw
        .get(2..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|p| match p {
            [a, b] if little => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0,
        });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    report.format.push_str("+utf16");
    report.problems.push(
        "UTF-16 text transcoded to UTF-8; byte offsets refer to the transcoded text".to_owned(),
    );
    scan_bytes(ctx, path, &mut text.as_bytes(), report);
}
