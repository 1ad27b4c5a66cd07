//! steward-logs' JSON readers through every shipped JSON mapping: the line
//! reader and lazy walker, the document splitter (CloudTrail `Records`
//! files), gzip/zstd sniffing, record errors and the time-ordered merge.
//!
//! The first byte picks the mapping and the format (sniffed, JSON Lines or
//! JSON documents); the rest is the log. Parquet is left to the `parquet`
//! target (input starting with its magic is read as JSON Lines here).
//! Checked: nothing panics; every error yielded is counted, with a line
//! within the input (when it is not compressed); counts add up; a merge of the input with itself gives
//! every event twice, in time order whenever it reports nothing late; and
//! read as JSON Lines, each record maps as a fresh source given that line
//! alone maps it (a fresh source has no line templates and remembers no
//! conversions, so this compares the templated walk with the full one); and
//! the input read through the general path alone (no direct programs,
//! nothing remembered) gives the same events and errors.
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use steward_model::event::AccessEvent;
use steward_logs::{
    InputFormat, LogSource, Mapping, MergeOptions, OpenOptions, merge_sources,
};

const MAPPINGS: [&str; 7] = [
    "steward-gateway",
    "steward-auth",
    "ocsf-api-activity",
    "ocsf-datastore-activity",
    "aws-cloudtrail",
    "nginx-json",
    "envoy-json",
];

/// `None` when the stream cannot even start (a corrupt compressed header).
fn open(data: &[u8], mapping: &Mapping, format: Option<InputFormat>) -> Option<LogSource> {
    let options = OpenOptions {
        format,
        max_record: 4096,
        max_examples: 4,
    };
    LogSource::from_reader("fuzz.jsonl", Cursor::new(data.to_vec()), mapping, options).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let mapping =
        Mapping::builtin(MAPPINGS[usize::from(sel) % MAPPINGS.len()]).expect("built-in mapping");
    let format = match (sel / 7) % 3 {
        _ if body.starts_with(b"PAR1") => Some(InputFormat::JsonLines),
        0 => None,
        1 => Some(InputFormat::JsonLines),
        _ => Some(InputFormat::JsonDocuments),
    };
    // Lines of the input as read (compressed input is not checked for this).
    let lines = steward_fuzz::log_lines(body, false);
    let Some(mut source) = open(body, &mapping, format) else {
        return;
    };
    let events = steward_fuzz::drain_log(&mut source, lines);
    if format == Some(InputFormat::JsonLines) {
        line_by_line(body, &mapping);
    }
    general_path(body, &mapping, format);
    let c = *source.counters();
    assert!(c.records >= c.events + c.skipped + c.parse_errors + c.field_errors + c.too_long);
    assert!(source.report().examples.len() <= 4);

    // The input merged with itself: every event twice, in order unless
    // something was released late.
    let (Some(a), Some(b)) = (open(body, &mapping, format), open(body, &mapping, format)) else {
        return;
    };
    let mut merged = merge_sources(
        vec![a, b],
        MergeOptions {
            slack_ms: 1000,
            max_buffered: 64,
        },
    );
    let mut times = Vec::new();
    for r in merged.by_ref() {
        if let Ok(e) = r {
            times.push(e.time_ms);
        }
    }
    assert_eq!(times.len() as u64, 2 * events);
    if merged.late() == 0 {
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "merge out of order without late events"
        );
    }
});

/// Direct programs and remembered conversions change no result: the input
/// read as usual and read through the general path alone give the same
/// events and the same record errors.
fn general_path(body: &[u8], mapping: &Mapping, format: Option<InputFormat>) {
    let (Some(usual), Some(general)) = (open(body, mapping, format), open(body, mapping, format))
    else {
        return;
    };
    let general = general.forgetful();
    let a: Vec<_> = usual.map(|r| r.map_err(|e| e.kind)).collect();
    let b: Vec<_> = general.map(|r| r.map_err(|e| e.kind)).collect();
    assert_eq!(a, b, "usual against general path");
}

/// The records of `body` read as one stream equal each line read alone,
/// when every line is one record (plain text, no blank, long or CR lines,
/// and no byte-order mark but at the start, where it is dropped); a line
/// the mapping skips yields nothing either way.
fn line_by_line(body: &[u8], mapping: &Mapping) {
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let plain = matches!(steward_logs::Compression::sniff(body), steward_logs::Compression::None);
    if !plain
        || text.contains('\r')
        || text.split('\n').any(|l| l.trim().is_empty() || l.len() > 4000)
        || text.split('\n').skip(1).any(|l| l.starts_with('\u{feff}'))
    {
        return;
    }
    let Some(mut source) = open(body, mapping, Some(InputFormat::JsonLines)) else {
        return;
    };
    let mut ev = AccessEvent::default();
    for (k, line) in text.split('\n').enumerate() {
        let n = k + 1;
        let Some(alone) = open(line.as_bytes(), mapping, Some(InputFormat::JsonLines)) else {
            return;
        };
        let alone: Vec<_> = alone.collect();
        assert!(alone.len() <= 1, "line {n}");
        let Some(b) = alone.first() else {
            continue;
        };
        let r = source.read_into(&mut ev).expect("a record for every line read alone");
        match (&r, b) {
            (Ok(()), Ok(e)) => {
                let mut e = e.clone();
                if e.event_id == "fuzz.jsonl:1" {
                    e.event_id = format!("fuzz.jsonl:{n}");
                }
                assert_eq!(ev, e, "line {n}");
            }
            (Err(a), Err(b)) => assert_eq!(a.kind, b.kind, "line {n}"),
            (a, b) => panic!("line {n}: {a:?} against {b:?}"),
        }
    }
    assert!(source.read_into(&mut ev).is_none(), "records beyond the lines");
}
