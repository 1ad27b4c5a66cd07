//! steward-logs' JSON readers through every shipped JSON mapping: the line
//! reader and lazy walker, the document splitter (CloudTrail `Records`
//! files), gzip/zstd sniffing, record errors and the time-ordered merge.
//!
//! The first byte picks the mapping and the format (sniffed, JSON Lines or
//! JSON documents); the rest is the log. Parquet is left to the `parquet`
//! target (input starting with its magic is read as JSON Lines here).
//! Checked: nothing panics; every error yielded is counted, with a line
//! within the input (when it is not compressed); counts add up; a merge of the input with itself gives
//! every event twice, in time order whenever it reports nothing late.
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
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
